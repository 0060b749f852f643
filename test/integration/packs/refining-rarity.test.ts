import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditItems, expectConserved } from '../../helpers/audit.js';
import { startHarness, type Harness } from '../../helpers/harness.js';
import { contentsOf, crafterWith, itemMetadata, loadPackWorld, type PackWorld } from '../../helpers/packs.js';
import { expectError, ok } from '../../helpers/world.js';

/**
 * 4:1 rarity refinement (seed 003 refining): refine_rarity folds 4 steel ingots of one rarity
 * into 1 of the next, in batches of up to 16 (64 in, 16 out). The ruleset `rarity_refinement`
 * writes the output's rarity with mode `value` (materials.rarity + 1: above every input), and its
 * one action requires every unit to share one rarity below the top of the scale.
 */
let h: Harness;
let w: PackWorld;
const granted: Record<string, number> = {};

beforeAll(async () => {
  h = await startHarness({ CRAFT_MAX_ACTIVE_SESSIONS_PER_ENTITY: '10' });
  w = await loadPackWorld(h, 'refining');
}, 60_000);
afterAll(async () => {
  await h?.close();
});

type Grant = { code: string; quantity: number; quality?: number; instanceMetadata?: Record<string, unknown> };

async function refiner(items: Grant[]) {
  for (const i of items) granted[i.code] = (granted[i.code] ?? 0) + i.quantity;
  return crafterWith(h, w.gs, items);
}

const start = (c: Awaited<ReturnType<typeof refiner>>, extra: Record<string, unknown> = {}) =>
  h.post('/craft/session/start', { recipeId: w.recipes.refine_rarity!, entityId: c.entityId, entityType: c.entityType, inventoryId: c.inventoryId, ...extra });

describe('refining pack: 4:1 rarity refinement', () => {
  it('fourUncommonIngots_foldIntoOneRare_withTheirQuality', async () => {
    const c = await refiner([{ code: 'steel_ingot', quantity: 4, quality: 0.8, instanceMetadata: { rarity: 'uncommon' } }]);
    const started = await start(c);
    expect(started.status).toBe(200);
    const done = await ok(h, '/craft/session/advance', { sessionId: started.body.sessionId, action: 'fold' });
    expect(done.status).toBe('completed');
    expect(done.outputItemIds).toHaveLength(1);
    expect(await itemMetadata(h, done.outputItemIds[0])).toMatchObject({
      // uncommon is index 1 of the scale: 1 + 1 = 2, rare (the gradient or a cap would stay uncommon).
      rarity: 'rare',
      // outcome.quality is the materials' quality: 0.8.
      quality: 0.8,
      provenance: 'Uncommon steel_ingot (T2) x4',
    });
    expect(await contentsOf(h, w.gs, c.inventoryId)).toEqual({ steel_ingot: 1 });
  });

  it('aBatchOf3_takes12CommonIngots_andMakes3Uncommon', async () => {
    // No rarity metadata reads as the lowest rarity, common.
    const c = await refiner([{ code: 'steel_ingot', quantity: 13 }]);
    const started = await start(c, { batch: 3 });
    expect(started.status).toBe(200);
    const done = await ok(h, '/craft/session/advance', { sessionId: started.body.sessionId, action: 'fold' });
    expect(done.status).toBe('completed');
    // 13 - 12 folded + 3 made.
    expect(await contentsOf(h, w.gs, c.inventoryId)).toEqual({ steel_ingot: 4 });
    const made = await Promise.all((done.outputItemIds as string[]).map((id) => itemMetadata(h, id)));
    expect(made.map((m) => m.rarity)).toEqual(made.map(() => 'uncommon'));
  });

  it('mixedRarities_orTheTopRarity_cannotStartARefinement_andNothingMoves', async () => {
    // The ruleset's start.requires: every unit of one rarity, below legendary.
    const mixed = await refiner([
      { code: 'steel_ingot', quantity: 2, instanceMetadata: { rarity: 'rare' } },
      { code: 'steel_ingot', quantity: 2, instanceMetadata: { rarity: 'epic' } },
    ]);
    const a = await start(mixed);
    expectError(a, 400, 'RULESET_REQUIREMENT_NOT_MET');
    expect(a.body.details).toEqual({ ruleset: 'rarity_refinement', reason: 'rarity refinement folds units of one rarity, below legendary' });
    expect(await contentsOf(h, w.gs, mixed.inventoryId)).toEqual({ steel_ingot: 4 });

    const top = await refiner([{ code: 'steel_ingot', quantity: 4, instanceMetadata: { rarity: 'legendary' } }]);
    expectError(await start(top), 400, 'RULESET_REQUIREMENT_NOT_MET');
    expect(await contentsOf(h, w.gs, top.inventoryId)).toEqual({ steel_ingot: 4 });
    expect(await h.runtime.internals.prisma.craftSession.count({ where: { entityId: { in: [mixed.entityId, top.entityId] } } })).toBe(0);
  });

  it('theOutputPreview_saysTheRarityIsAValue_andTheFoldYieldsOneIngot', async () => {
    const { rules } = await ok(h, '/craft/query/output-preview', { recipeId: w.recipes.refine_rarity! });
    expect(rules).toMatchObject({
      ruleset: { code: 'rarity_refinement', version: 1 },
      mode: 'allOrNothing',
      bands: [
        { name: 'success', success: true, outputs: [{ itemTemplateCode: 'steel_ingot', quantity: 1 }] },
        { name: 'failure', success: false, outputs: [{ itemTemplateCode: 'steel_ingot', quantity: 0 }] },
      ],
      rarity: { scale: ['common', 'uncommon', 'rare', 'epic', 'legendary'], mode: 'value' },
    });
    // A recipe without a ruleset answers the quality bands alone.
    expect(await ok(h, '/craft/query/output-preview', { recipeId: w.recipes.smelt_iron! })).not.toHaveProperty('rules');
  });

  it('everyUnitIsAccountedFor', async () => {
    expectConserved(await auditItems(h, w.gs), granted);
  });
});
