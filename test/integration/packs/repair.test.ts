import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditItems, expectConserved } from '../../helpers/audit.js';
import { startHarness, type Harness } from '../../helpers/harness.js';
import { contentsOf, crafterWith, itemMetadata, loadPackWorld, type PackWorld } from '../../helpers/packs.js';
import { expectError, ok } from '../../helpers/world.js';

/**
 * The repair pack (seed 002) over HTTP. An item's condition is its `condition` metadata
 * (intact, damaged, broken). basic_repair (5 min, 2 iron_ingot + 5 gold), intermediate_repair
 * (3 min, 2 iron_ingot, level 5) and advanced_repair (1 min, 2 iron_ingot, level 10) restore a
 * damaged or broken item to intact; only advanced repair takes Masterwork and Legendary items.
 * The server clock runs ahead on demand, so the minutes pass without sleeping.
 */
let h: Harness;
let w: PackWorld;
let skew = 0;
const granted: Record<string, number> = {};

beforeAll(async () => {
  h = await startHarness({}, { clock: { now: () => new Date(Date.now() + skew) } });
  w = await loadPackWorld(h, 'repair');
}, 60_000);
afterAll(async () => {
  await h?.close();
});

async function smith(level: number, sword: Record<string, unknown>) {
  const items = [
    { code: 'longsword', quantity: 1, instanceMetadata: sword },
    { code: 'iron_ingot', quantity: 4 },
    { code: 'repair_kit', quantity: 1 },
  ];
  for (const i of items) granted[i.code] = (granted[i.code] ?? 0) + i.quantity;
  const c = await crafterWith(h, w.gs, items);
  await ok(h, '/craft/proficiency/set', { gameServiceId: w.gs, entityId: c.entityId, entityType: c.entityType, domain: 'repair', targetValue: 10 * level * level });
  await ok(h, '/dev/currency/credit', { gameServiceId: w.gs, ownerId: c.entityId, ownerType: c.entityType, currencyCode: 'gold', amount: 20 });
  return c;
}

const start = (c: Awaited<ReturnType<typeof smith>>, recipe: string) =>
  h.post('/craft/session/start', { recipeId: w.recipes[recipe]!, entityId: c.entityId, entityType: c.entityType, inventoryId: c.inventoryId, targetItemId: c.ids.longsword });

/** Mends once the step's time has passed on the server clock. */
async function mend(sessionId: string, readyAt: string) {
  const early = await h.post('/craft/session/advance', { sessionId, stepCode: 'mend' });
  expectError(early, 409, 'STEP_NOT_READY');
  skew = Math.max(skew, Date.parse(readyAt) - Date.now());
  return ok(h, '/craft/session/advance', { sessionId, stepCode: 'mend' });
}

describe('repair pack', () => {
  it('basicRepair_ofADamagedNormalSword_takesFiveMinutesTwoIngotsAndFiveGold', async () => {
    const c = await smith(1, { condition: 'damaged' });
    const started = await start(c, 'basic_repair');
    expect(started.status, JSON.stringify(started.body)).toBe(200);
    const readyAt = started.body.firstStep.readyAt as string;
    // Five minutes after the start.
    expect(Date.parse(readyAt) - Date.parse((await ok(h, '/craft/session/get', { sessionId: started.body.sessionId })).session.startedAt)).toBe(300_000);
    const done = await mend(started.body.sessionId, readyAt);
    expect(done.status).toBe('completed');
    expect(done.outputItemIds).toEqual([c.ids.longsword]);
    expect(await itemMetadata(h, c.ids.longsword!)).toMatchObject({ condition: 'intact', repairedBy: c.entityId });
    expect(await contentsOf(h, w.gs, c.inventoryId)).toEqual({ longsword: 1, iron_ingot: 2, repair_kit: 1 });
    const wallet = (await ok(h, '/dev/currency/wallet/get', { gameServiceId: w.gs, ownerId: c.entityId, ownerType: c.entityType })).wallet;
    expect(wallet.balances.find((b: { currencyCode: string }) => b.currencyCode === 'gold')).toMatchObject({ amount: 15 });
  });

  it('aBrokenMasterwork_isBeyondIntermediateRepair_butAdvancedRepairMendsItInAMinute', async () => {
    const c = await smith(10, { condition: 'broken', grade: 'Masterwork' });
    const refused = await start(c, 'intermediate_repair');
    expectError(refused, 400, 'TARGET_ITEM_INVALID');
    expect(refused.body.message).toContain('does not work on Masterwork items');
    const started = await start(c, 'advanced_repair');
    expect(started.status, JSON.stringify(started.body)).toBe(200);
    const done = await mend(started.body.sessionId, started.body.firstStep.readyAt);
    expect(done.status).toBe('completed');
    expect(await itemMetadata(h, c.ids.longsword!)).toMatchObject({ condition: 'intact', grade: 'Masterwork' });
    expect(await contentsOf(h, w.gs, c.inventoryId)).toEqual({ longsword: 1, iron_ingot: 2, repair_kit: 1 });
  });

  it('anIntactSword_needsNoRepair_andACancelledRepairGivesTheSwordBackDamaged', async () => {
    const intact = await smith(10, {});
    expectError(await start(intact, 'advanced_repair'), 400, 'TARGET_ITEM_INVALID');
    const c = await smith(10, { condition: 'damaged' });
    const started = await start(c, 'advanced_repair');
    // The sword is escrowed for the session, as a modification target is.
    expect(await contentsOf(h, w.gs, c.inventoryId)).toEqual({ iron_ingot: 2, repair_kit: 1 });
    await ok(h, '/craft/session/cancel', { sessionId: started.body.sessionId });
    expect(await contentsOf(h, w.gs, c.inventoryId)).toEqual({ longsword: 1, iron_ingot: 4, repair_kit: 1 });
    expect(await itemMetadata(h, c.ids.longsword!)).toMatchObject({ condition: 'damaged' });
  });

  it('everyUnitIsAccountedFor', async () => {
    expectConserved(await auditItems(h, w.gs), granted);
  });
});
