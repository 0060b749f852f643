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
    expect(medium[0]).toEqual({ itemTemplateCode: 'iron_sword', quantity: 1, quality: 0.55, probability: null });
    expect(medium[1]).toMatchObject({ itemTemplateCode: 'leather_strip', quantity: 2, probability: null });
    expect(medium[1].quality).toBeCloseTo(0.525, 12);
  });

  it('preview_extraction_expectedQuantitiesAndChances', async () => {
    const w = await forgeWorld(h, {
      recipe: {
        code: 'salvage_weapon',
        recipeType: 'extraction',
        inputs: [],
        outputs: [],
        targetRequirements: { validItemClasses: ['one_hand_sword'] },
        steps: [{ code: 'disassemble', name: 'Disassemble', skillCheck: true }],
        extractionOutputs: [{ itemTemplateCode: 'iron_ingot', baseQuantity: 2, quantityVariance: 1, probability: 0.5 }],
      },
    });
    const res = await ok(h, '/craft/query/output-preview', { recipeId: w.recipeId });
    expect(res.bands[0].outputs).toEqual([{ itemTemplateCode: 'iron_ingot', quantity: 1.4, quality: null, probability: 0.5 }]);
    expect(res.bands[2].outputs[0].quantity).toBeCloseTo(2.7, 12);
    expect(res.bands[2].outputs[0].probability).toBeCloseTo(0.575, 12);
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
