import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { drawsFor } from '../../../src/domain/rules/draws.js';
import { auditItems, expectConserved } from '../../helpers/audit.js';
import { startHarness, type Harness } from '../../helpers/harness.js';
import { contentsOf, crafterWith, loadPackWorld, type PackWorld } from '../../helpers/packs.js';
import { expectReplaysExactly } from '../../helpers/replay.js';
import { expectError, ok } from '../../helpers/world.js';

/**
 * The refining pack (seed 003) played over HTTP. refine_iron plays the cylinder lock with the
 * recipe's params cylinders 3, allowedFailures 1, window 0.7: pools start at aligned 0, misses 0,
 * allowedMisses 1, window 0.7 (max 1). `align` hits when the reported performance is >= 0.5
 * (without one: a roll under the window); the attempt succeeds at 3 aligned and fails as soon as
 * misses > allowedMisses. Fuel only on turn 0: coal +0.1 window, refined coal +0.2 window and +1
 * allowed miss. A failure (or the 45 s time limit) loses half of the 4 ore.
 */
let h: Harness;
/**
 * Server time: a day ahead of the real clock, so another test process sharing the database (its
 * recovery pass on the real clock) never sees these sessions as past their deadlines.
 */
let now = Math.floor(Date.now() / 1000) * 1000 + 86_400_000;
let seed = 'refining-1';
let w: PackWorld;
/** Everything granted in this file's game service, per template (for the conservation law). */
const granted: Record<string, number> = {};

beforeAll(async () => {
  // The background recovery pass would read the moved test clock too (and race the requests below
  // to time out a session): it stays off; the advance path ends timed-out attempts itself.
  h = await startHarness({ CRAFT_RECOVERY_INTERVAL_MS: '600000' }, { sessionSeeds: () => seed, clock: { now: () => new Date(now) } });
  w = await loadPackWorld(h, 'refining');
}, 60_000);
afterAll(async () => {
  await h?.close();
});

type Crafter = Awaited<ReturnType<typeof crafterWith>>;

async function crafter(items: { code: string; quantity: number }[]): Promise<Crafter> {
  for (const i of items) granted[i.code] = (granted[i.code] ?? 0) + i.quantity;
  return crafterWith(h, w.gs, items);
}

async function grant(c: Crafter, code: string, quantity: number): Promise<string> {
  granted[code] = (granted[code] ?? 0) + quantity;
  const res = await ok(h, '/dev/item/grant', { containerId: c.inventoryId, gameServiceId: w.gs, itemTemplateCode: code, quantity });
  return res.item.instanceId as string;
}

const start = (c: Crafter, recipe = 'refine_iron') =>
  ok(h, '/craft/session/start', { recipeId: w.recipes[recipe]!, entityId: c.entityId, entityType: c.entityType, inventoryId: c.inventoryId });

const act = (sessionId: string, action: string, extra: Record<string, unknown> = {}) => h.post('/craft/session/advance', { sessionId, action, ...extra });

const sessionOf = async (sessionId: string) => (await ok(h, '/craft/session/get', { sessionId })).session;

async function metadataOf(itemId: string) {
  const row = await h.runtime.internals.prisma.stubItemInstance.findUniqueOrThrow({ where: { id: itemId } });
  return { quantity: Number(row.quantity), ...(JSON.parse(row.instanceMetadata || '{}') as Record<string, unknown>) };
}

const START_POOLS = { aligned: 0, misses: 0, allowedMisses: 1, window: 0.7 };

describe('refining pack', () => {
  it('baseProcessing_isAPlainStep_thatAlwaysTurns4OreInto1Ingot', async () => {
    const c = await crafter([{ code: 'iron_ore', quantity: 4 }]);
    const started = await start(c, 'smelt_iron');
    expect(started.rules ?? null).toBeNull();
    const done = await ok(h, '/craft/session/advance', { sessionId: started.sessionId, stepCode: 'smelt' });
    expect(done.status).toBe('completed');
    expect(done.outputItemIds).toHaveLength(1);
    // 4 iron_ore consumed, 1 iron_ingot (the recipe's output quantity) created.
    expect(await contentsOf(h, w.gs, c.inventoryId)).toEqual({ iron_ingot: 1 });
  });

  it('aScriptedLock_withRefinedCoalAndReportedTimings_matchesEveryPoolByHand_andMakes2UncommonIngots', async () => {
    seed = 'refining-scripted';
    const c = await crafter([
      { code: 'iron_ore', quantity: 4 },
      { code: 'refined_coal', quantity: 1 },
    ]);
    const started = await start(c);
    const sessionId = started.sessionId as string;
    expect(started.rules.pools).toEqual(START_POOLS);

    // Refined coal: window 0.7 + 0.2 = 0.9, allowedMisses 1 + 1 = 2; the item is taken and burnt.
    const fed = await act(sessionId, 'add_refined_coal');
    expect(fed.status, JSON.stringify(fed.body)).toBe(200);
    expect(fed.body.rules.pools).toEqual({ aligned: 0, misses: 0, allowedMisses: 2, window: 0.9 });
    expect(fed.body.turn).toMatchObject({ action: 'add_refined_coal', success: true, consumedItemId: c.ids.refined_coal, deltas: { allowedMisses: 1, window: 0.2 } });
    // Without a reported timing, align would now hit with the window's chance, 0.9.
    expect(fed.body.rules.available.find((a: { code: string }) => a.code === 'align')).toMatchObject({ usable: true, chance: 0.9 });
    expect(await contentsOf(h, w.gs, c.inventoryId)).toEqual({});

    const script: [number, Record<string, number>, boolean][] = [
      // 0.8 >= 0.5: a hit, aligned 1.
      [0.8, { aligned: 1, misses: 0, allowedMisses: 2, window: 0.9 }, true],
      // 0.2 < 0.5: a miss, misses 1 (1 > 2 is false: the lock goes on).
      [0.2, { aligned: 1, misses: 1, allowedMisses: 2, window: 0.9 }, false],
      // 0.9: a hit, aligned 2.
      [0.9, { aligned: 2, misses: 1, allowedMisses: 2, window: 0.9 }, true],
      // 0.1: a miss, misses 2 (2 > 2 is still false).
      [0.1, { aligned: 2, misses: 2, allowedMisses: 2, window: 0.9 }, false],
      // 0.5 exactly is a hit: aligned 3 = cylinders, the attempt succeeds.
      [0.5, { aligned: 3, misses: 2, allowedMisses: 2, window: 0.9 }, true],
    ];
    let last: { status: number; body: any } | null = null;
    for (const [performance, pools, success] of script) {
      last = await act(sessionId, 'align', { performance });
      expect(last.status, JSON.stringify(last.body)).toBe(200);
      expect(last.body.rules.pools).toEqual(pools);
      expect(last.body.turn).toMatchObject({ action: 'align', success, consumedItemId: null });
    }
    expect(last!.body.turn.ended).toBe('success');
    expect(last!.body.status).toBe('completed');
    // Quality max(0.5, 1 - 0.15 x 2) = 0.7; score 100 x 3 / 3 = 100 >= 0: grade Uncommon.
    expect(last!.body.rules.outcomes).toEqual([expect.objectContaining({ attempt: 1, success: true, score: 100, quality: 0.7, grade: 'Uncommon', loss: 0 })]);
    expect(last!.body.finalQuality).toBe(0.7);
    expect(last!.body.outputItemIds).toHaveLength(1);
    expect(await metadataOf(last!.body.outputItemIds[0])).toMatchObject({ quantity: 2, quality: 0.7, grade: 'Uncommon', ruleset: 'refining@1' });
    // The 4 ore are consumed, the refined coal burnt once, 2 ingots are all that is left.
    expect(await contentsOf(h, w.gs, c.inventoryId)).toEqual({ iron_ingot: 2 });
    const audit = await auditItems(h, w.gs);
    const coal = await h.runtime.internals.prisma.stubItemInstance.findMany({ where: { id: c.ids.refined_coal! } });
    expect(coal.map((i) => i.destroyReason)).toEqual(['Consumed']);
    expect(audit.refined_coal).toMatchObject({ consumed: granted.refined_coal, live: 0 });
  });

  it('tooManyMisses_failTheLock_destroyingHalfTheOreAndTheBurntCoal_theRestGoesBack_nothingCreated', async () => {
    seed = 'refining-fail';
    const c = await crafter([
      { code: 'iron_ore', quantity: 4 },
      { code: 'coal', quantity: 2 },
    ]);
    const before = await auditItems(h, w.gs);
    const sessionId = (await start(c)).sessionId as string;
    // Coal: window 0.7 + 0.1 = 0.8, allowedMisses stays 1.
    expect((await act(sessionId, 'add_coal')).body.rules.pools).toEqual({ aligned: 0, misses: 0, allowedMisses: 1, window: 0.8 });
    // First miss: misses 1 (1 > 1 false).
    const first = await act(sessionId, 'align', { performance: 0.3 });
    expect(first.body).toMatchObject({ status: 'active', rules: { pools: { aligned: 0, misses: 1, allowedMisses: 1, window: 0.8 } } });
    // Second miss: misses 2 > 1: the attempt fails.
    const second = await act(sessionId, 'align', { performance: 0 });
    expect(second.body.rules.pools).toEqual({ aligned: 0, misses: 2, allowedMisses: 1, window: 0.8 });
    expect(second.body.turn.ended).toBe('failure');
    expect(second.body.status).toBe('failed');
    expect(second.body.outputItemIds ?? []).toEqual([]);

    const session = await sessionOf(sessionId);
    expect(session.status).toBe('failed');
    // failureLoss min 0.5 (no max): a loss of exactly 0.5 -> 4 x 0.5 = 2 ore destroyed, 2 back.
    expect(session.rules.outcomes).toEqual([expect.objectContaining({ success: false, loss: 0.5 })]);
    expect(await contentsOf(h, w.gs, c.inventoryId)).toEqual({ iron_ore: 2, coal: 1 });
    const after = await auditItems(h, w.gs);
    const delta = (code: string) => ({ code, consumed: after[code]!.consumed - (before[code]?.consumed ?? 0), crafted: (after[code]?.crafted ?? 0) - (before[code]?.crafted ?? 0) });
    expect(delta('iron_ore')).toEqual({ code: 'iron_ore', consumed: 2, crafted: 0 });
    expect(delta('coal')).toEqual({ code: 'coal', consumed: 1, crafted: 0 });
    expect((after.iron_ingot?.crafted ?? 0) - (before.iron_ingot?.crafted ?? 0)).toBe(0);
    expectConserved(after, granted);
  });

  it('fuel_onlyOnTurn0_fromTheInventory_ofTheRightTemplate_andARefusalMovesNothing', async () => {
    seed = 'refining-fuel';
    const c = await crafter([
      { code: 'iron_ore', quantity: 4 },
      { code: 'refined_coal', quantity: 1 },
    ]);
    const sessionId = (await start(c)).sessionId as string;

    // No coal in the inventory: refused, the session has not moved (turn 0, the start pools).
    const none = await act(sessionId, 'add_coal');
    expectError(none, 400, 'CONSUMABLE_NOT_AVAILABLE');
    let session = await sessionOf(sessionId);
    expect({ turn: session.rules.turn, pools: session.rules.pools }).toEqual({ turn: 0, pools: START_POOLS });

    // Naming the refined coal for add_coal: the named item is not coal.
    const wrong = await act(sessionId, 'add_coal', { consumableItemId: c.ids.refined_coal });
    expectError(wrong, 400, 'CONSUMABLE_NOT_AVAILABLE');
    expect(await contentsOf(h, w.gs, c.inventoryId)).toEqual({ refined_coal: 1 });

    // After the first align (turn 1) no fuel can be fed, even with coal at hand.
    await grant(c, 'coal', 1);
    const aligned = await act(sessionId, 'align', { performance: 1 });
    expect(aligned.body.rules.pools).toEqual({ aligned: 1, misses: 0, allowedMisses: 1, window: 0.7 });
    expect(aligned.body.rules.available.find((a: { code: string }) => a.code === 'add_coal')).toMatchObject({ usable: false, reason: 'its requirement is not met' });
    const late = await act(sessionId, 'add_coal');
    expectError(late, 409, 'ACTION_NOT_AVAILABLE');
    expect(late.body.details.reason).toBe('its requirement is not met');
    session = await sessionOf(sessionId);
    expect({ turn: session.rules.turn, pools: session.rules.pools }).toEqual({ turn: 1, pools: { aligned: 1, misses: 0, allowedMisses: 1, window: 0.7 } });
    expect(await contentsOf(h, w.gs, c.inventoryId)).toEqual({ refined_coal: 1, coal: 1 });

    // Unknown action names are told apart from refused ones.
    expectError(await act(sessionId, 'hammer_it'), 400, 'ACTION_NOT_FOUND');
    // Two more hits finish the lock (aligned 3, no miss): the session does not stay open.
    for (const performance of [1, 1]) await act(sessionId, 'align', { performance });
    expect((await sessionOf(sessionId)).status).toBe('completed');
  });

  it('withoutAReportedTiming_alignRollsAgainstTheWindow_fromTheSessionSeed_andReplaysExactly', async () => {
    seed = 'refining-window-1';
    // This seed's `success` draws for turns 1..4 (what the engine rolls against the chance):
    // 0.7105, 0.2827, 0.6186, 0.9327.
    const draws = [1, 2, 3, 4].map((turn) => Math.round(drawsFor(seed, 1, turn)('success') * 1e4) / 1e4);
    expect(draws).toEqual([0.7105, 0.2827, 0.6186, 0.9327]);
    const c = await crafter([{ code: 'iron_ore', quantity: 4 }]);
    const started = await start(c);
    const sessionId = started.sessionId as string;
    expect(started.rules.available.find((a: { code: string }) => a.code === 'align')).toMatchObject({ usable: true, chance: 0.7 });
    // Against the window 0.7: 0.7105 misses (misses 1), 0.2827 and 0.6186 hit (aligned 2),
    // 0.9327 misses: misses 2 > 1 allowed, the attempt fails with 2 of 3 cylinders aligned.
    const expected = [
      [false, { aligned: 0, misses: 1 }],
      [true, { aligned: 1, misses: 1 }],
      [true, { aligned: 2, misses: 1 }],
      [false, { aligned: 2, misses: 2 }],
    ] as const;
    for (const [success, pools] of expected) {
      const res = await act(sessionId, 'align');
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      expect(res.body.turn.success).toBe(success);
      expect(res.body.rules.pools).toEqual({ ...pools, allowedMisses: 1, window: 0.7 });
    }
    const session = await sessionOf(sessionId);
    expect(session.status).toBe('failed');
    // Score 100 x 2 / 3 = 66.666667 (6 decimals); loss 0.5: 2 of the 4 ore back.
    expect(session.rules.outcomes).toEqual([expect.objectContaining({ success: false, score: 66.666667, loss: 0.5 })]);
    expect(await contentsOf(h, w.gs, c.inventoryId)).toEqual({ iron_ore: 2 });
    await expectReplaysExactly(h, sessionId);
  });

  it('theTimeLimit_45sOfServerTime_failsTheAttempt_andLosesHalfTheOre', async () => {
    seed = 'refining-timeout';
    const c = await crafter([{ code: 'iron_ore', quantity: 4 }]);
    const started = await start(c);
    const sessionId = started.sessionId as string;
    // The deadline is the start + 45 s.
    expect(started.rules.deadline).toBe(new Date(now + 45_000).toISOString());
    // One hit inside the limit (aligned 1), then the clock passes the deadline by 1 s.
    expect((await act(sessionId, 'align', { performance: 1 })).body.rules.pools).toMatchObject({ aligned: 1, misses: 0 });
    now += 46_000;
    const late = await act(sessionId, 'align', { performance: 1 });
    expectError(late, 409, 'ATTEMPT_ENDED');

    const session = await sessionOf(sessionId);
    expect(session.status).toBe('failed');
    expect(session.failureReason).toContain('failed outright');
    // onTimeout fail: ended "fail", failLoss min 0.5 -> 4 x 0.5 = 2 ore destroyed, 2 back; the
    // late align was not played (aligned stays 1, turn 1).
    expect(session.rules).toMatchObject({ ended: 'fail', turn: 1, pools: { aligned: 1, misses: 0 } });
    expect(session.rules.outcomes).toEqual([expect.objectContaining({ success: false, loss: 0.5 })]);
    expect(session.outputItemIds ?? []).toEqual([]);
    expect(await contentsOf(h, w.gs, c.inventoryId)).toEqual({ iron_ore: 2 });
    expectConserved(await auditItems(h, w.gs), granted);
  });
});
