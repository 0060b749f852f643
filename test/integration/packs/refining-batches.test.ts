import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditItems, expectConserved } from '../../helpers/audit.js';
import { startHarness, type Harness } from '../../helpers/harness.js';
import { contentsOf, crafterWith, loadPackWorld, type PackWorld } from '../../helpers/packs.js';
import { expectError, ok } from '../../helpers/world.js';

/**
 * Batches (seed 003 refining: "64 ore in" at once). The refining pack's recipes craft up to 16
 * per session (maxBatch): smelt_iron turns 4 iron_ore into 1 iron_ingot (a step, always); refine_iron
 * plays the cylinder lock on 4 ore for 2 ingots and a failure loses half of the ore. A batch of n
 * takes n times the inputs and makes n times the outputs; the lock's loss takes half of the batch's
 * ore. Conservation is checked per unit.
 */
let h: Harness;
let w: PackWorld;
const granted: Record<string, number> = {};

beforeAll(async () => {
  h = await startHarness({ CRAFT_RECOVERY_INTERVAL_MS: '600000' }, { sessionSeeds: () => 'refining-batches' });
  w = await loadPackWorld(h, 'refining');
}, 60_000);
afterAll(async () => {
  await h?.close();
});

async function crafter(items: { code: string; quantity: number }[]) {
  for (const i of items) granted[i.code] = (granted[i.code] ?? 0) + i.quantity;
  return crafterWith(h, w.gs, items);
}

const start = (c: Awaited<ReturnType<typeof crafter>>, recipe: string, batch: number) =>
  h.post('/craft/session/start', { recipeId: w.recipes[recipe]!, entityId: c.entityId, entityType: c.entityType, inventoryId: c.inventoryId, batch });

describe('batches', () => {
  it('sixteenSmelts_take64Ore_andMake16Ingots_inOneSession', async () => {
    const c = await crafter([{ code: 'iron_ore', quantity: 67 }]);
    const started = await start(c, 'smelt_iron', 16);
    expect(started.status, JSON.stringify(started.body)).toBe(200);
    expect(started.body.reservedMaterials.map((m: { itemTemplateCode: string; quantity: number }) => [m.itemTemplateCode, m.quantity])).toEqual([['iron_ore', 64]]);
    expect((await ok(h, '/craft/session/get', { sessionId: started.body.sessionId })).session.batch).toBe(16);
    const done = await ok(h, '/craft/session/advance', { sessionId: started.body.sessionId, stepCode: 'smelt' });
    expect(done.status).toBe('completed');
    // 64 of 67 ore consumed; one stack of 16 ingots created.
    expect(await contentsOf(h, w.gs, c.inventoryId)).toEqual({ iron_ore: 3, iron_ingot: 16 });
    expect(done.outputItemIds).toHaveLength(1);
  });

  it('aFailedLockOnABatch_losesHalfOfTheWholeBatch_andReturnsTheRest', async () => {
    const c = await crafter([{ code: 'iron_ore', quantity: 32 }]);
    const before = await auditItems(h, w.gs);
    const started = await start(c, 'refine_iron', 8);
    expect(started.status, JSON.stringify(started.body)).toBe(200);
    const sessionId = started.body.sessionId as string;
    // Two misses (allowed 1): the lock fails; failureLoss 0.5 of the 32 ore in escrow = 16.
    await ok(h, '/craft/session/advance', { sessionId, action: 'align', performance: 0 });
    const failed = await ok(h, '/craft/session/advance', { sessionId, action: 'align', performance: 0 });
    expect(failed.status).toBe('failed');
    expect(await contentsOf(h, w.gs, c.inventoryId)).toEqual({ iron_ore: 16 });
    const after = await auditItems(h, w.gs);
    expect(after.iron_ore!.consumed - (before.iron_ore?.consumed ?? 0)).toBe(16);
    expect((after.iron_ingot?.crafted ?? 0) - (before.iron_ingot?.crafted ?? 0)).toBe(0);
  });

  it('aSuccessfulLockOnABatch_makesTwiceTheBatchInIngots', async () => {
    const c = await crafter([{ code: 'iron_ore', quantity: 12 }]);
    const started = await start(c, 'refine_iron', 3);
    const sessionId = started.body.sessionId as string;
    for (let i = 0; i < 3; i++) await ok(h, '/craft/session/advance', { sessionId, action: 'align', performance: 1 });
    expect((await ok(h, '/craft/session/get', { sessionId })).session.status).toBe('completed');
    // 3 x 4 ore in, 3 x 2 ingots out.
    expect(await contentsOf(h, w.gs, c.inventoryId)).toEqual({ iron_ingot: 6 });
  });

  it('beyondMaxBatch_orATrialBatch_isRefused_andNothingMoves', async () => {
    const c = await crafter([{ code: 'iron_ore', quantity: 100 }]);
    const tooMany = await start(c, 'smelt_iron', 17);
    expectError(tooMany, 400, 'BATCH_NOT_ALLOWED');
    expect(tooMany.body.details).toEqual({ batch: 17, maxBatch: 16 });
    expectError(await h.post('/craft/session/start', { recipeId: w.recipes.refine_iron!, entityId: c.entityId, entityType: c.entityType, inventoryId: c.inventoryId, batch: 2, trial: true }), 400, 'BATCH_NOT_ALLOWED');
    expectError(await start(c, 'smelt_iron', 0), 400, 'VALIDATION_FAILED');
    expect(await contentsOf(h, w.gs, c.inventoryId)).toEqual({ iron_ore: 100 });
  });

  it('everyUnitIsAccountedFor', async () => {
    expectConserved(await auditItems(h, w.gs), granted);
  });
});
