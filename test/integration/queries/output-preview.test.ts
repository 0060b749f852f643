import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from '../../helpers/harness.js';
import { expectError, forgeWorld, ok } from '../../helpers/world.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h.close());

describe('query/output-preview', () => {
  it('preview_production_eachBandAtItsMidpoint', async () => {
    const w = await forgeWorld(h, {
      recipe: {
        outputs: [
          { itemTemplateCode: 'iron_sword', quantity: 1, qualityInfluence: 1 },
          { itemTemplateCode: 'leather_strip', quantity: 2, qualityInfluence: 0.5 },
        ],
      },
    });
    const res = await ok(h, '/craft/query/output-preview', { recipeId: w.recipeId });
    expect(res.bands.map((b: any) => [b.qualityLevel, b.qualityValue])).toEqual([
      ['low', 0.2],
      ['medium', 0.55],
      ['high', 0.85],
    ]);
    const medium = res.bands[1].outputs;
    expect(medium[0]).toEqual({ itemTemplateCode: 'iron_sword', quantity: 1, maxQuantity: null, quality: 0.55, probability: null });
    expect(medium[1]).toMatchObject({ itemTemplateCode: 'leather_strip', quantity: 2, probability: null });
    expect(medium[1].quality).toBeCloseTo(0.525, 12);
  });

  it('preview_extraction_everyQuantityASalvageCanYieldWithItsChance_asSessionsRollThem', async () => {
    // The seed's Salvage Weapon. At the medium band (0.55) a leather strip is 1 with chance 0.131
    // (0.5 x P(round(1.05 s) >= 1), s uniform in [-1, 1)); never "0 with chance 0.5".
    const w = await forgeWorld(h, {
      recipe: {
        code: 'salvage_weapon',
        recipeType: 'extraction',
        inputs: [],
        outputs: [],
        targetRequirements: { validItemClasses: ['one_hand_sword'] },
        steps: [{ code: 'disassemble', name: 'Disassemble', skillCheck: true }],
        extractionOutputs: [
          { itemTemplateCode: 'iron_ingot', baseQuantity: 2, quantityVariance: 1, probability: 1 },
          { itemTemplateCode: 'leather_strip', baseQuantity: 0, quantityVariance: 1, probability: 0.5 },
        ],
      },
    });
    const res = await ok(h, '/craft/query/output-preview', { recipeId: w.recipeId });
    const medium = res.bands[1].outputs as { itemTemplateCode: string; quantity: number; probability: number; maxQuantity: number | null }[];
    const strips = medium.filter((o) => o.itemTemplateCode === 'leather_strip');
    expect(strips).toEqual([{ itemTemplateCode: 'leather_strip', quantity: 1, maxQuantity: null, quality: null, probability: 0.130952 }]);
    // Ingots: x = 2 + s in [1, 3), quantity round(1.05 x): 1, 2 or 3; certain to be one of them.
    const ingots = medium.filter((o) => o.itemTemplateCode === 'iron_ingot');
    expect(ingots.map((o) => o.quantity)).toEqual([1, 2, 3]);
    expect(ingots.reduce((sum, o) => sum + o.probability, 0)).toBeCloseTo(1, 5);
    expect(medium.every((o) => o.quantity >= 1 && Number.isInteger(o.quantity))).toBe(true);
  });

  it('preview_modification_noOutputs', async () => {
    const w = await forgeWorld(h, {
      recipe: {
        code: 'imbue',
        recipeType: 'modification',
        inputs: [],
        outputs: [],
        affixOperation: 'apply_random',
        steps: [{ code: 'imbue', name: 'Imbue' }],
      },
    });
    const res = await ok(h, '/craft/query/output-preview', { recipeId: w.recipeId });
    expect(res.bands.map((b: any) => b.outputs)).toEqual([[], [], []]);
  });

  it('preview_unknownRecipe_404', async () => {
    expectError(await h.post('/craft/query/output-preview', { recipeId: randomUUID() }), 404, 'RECIPE_NOT_FOUND');
  });
});
