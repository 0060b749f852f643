import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from '../../helpers/harness.js';
import { contentsOf, crafterWith, loadPackWorld, type PackWorld } from '../../helpers/packs.js';
import { expectReplaysExactly } from '../../helpers/replay.js';
import { expectError, ok } from '../../helpers/world.js';

/**
 * The craft-points pack (seed 002) played over HTTP. Craft points (pool cp) start at the crafter's
 * level in the `craft` domain + stat perceptive. `produce` needs specialty (or jackOfAllTrades)
 * >= the recipe's specialtyLevel and costs the recipe's cost, doubled when only jackOfAllTrades
 * qualifies: longsword cost 12 / specialtyLevel 2, kitchen_knife cost 4 / specialtyLevel 1.
 * spark_of_creation (needs sparkOfCreation >= 1) adds 6 cp, once per entity every 30 days
 * (2,592,000 s). `abandon` finishes the attempt unproduced: all or nothing with a loss of 0.
 */
let h: Harness;
/**
 * Server time: a day ahead of the real clock, so another test process sharing the database (its
 * recovery pass on the real clock) never sees these sessions as past their deadlines.
 */
let now = Math.floor(Date.now() / 1000) * 1000 + 86_400_000;
let w: PackWorld;
/** The completed longsword session of the specialist (replayed at the end). */
let longswordSession: string | null = null;

beforeAll(async () => {
  // The background recovery pass reads the test clock too; moved 30 days it would time out other
  // sessions of the shared test database: it stays off (nothing here needs it).
  h = await startHarness({ CRAFT_RECOVERY_INTERVAL_MS: '600000' }, { sessionSeeds: () => 'craft-points', clock: { now: () => new Date(now) } });
  w = await loadPackWorld(h, 'craft-points');
}, 60_000);
afterAll(async () => {
  await h?.close();
});

type Crafter = Awaited<ReturnType<typeof crafterWith>>;
type View = { code: string; usable: boolean; reason: string | null; costs: Record<string, number>; chance: number };

/** A crafter at `level` in the craft domain (experience 10 x level^2) holding `steel` steel bars. */
async function crafter(level: number, steel: number): Promise<Crafter> {
  const c = await crafterWith(h, w.gs, [{ code: 'steel_bar', quantity: steel }]);
  await ok(h, '/craft/proficiency/set', { gameServiceId: w.gs, entityId: c.entityId, entityType: c.entityType, domain: 'craft', targetValue: 10 * level * level });
  return c;
}

const startRes = (c: Crafter, recipe: string, stats: Record<string, number>) =>
  h.post('/craft/session/start', { recipeId: w.recipes[recipe]!, entityId: c.entityId, entityType: c.entityType, inventoryId: c.inventoryId, stats });

async function start(c: Crafter, recipe: string, stats: Record<string, number>) {
  const res = await startRes(c, recipe, stats);
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body as { sessionId: string; rules: { pools: Record<string, number>; available: View[] } };
}

const act = (sessionId: string, action: string) => h.post('/craft/session/advance', { sessionId, action });

async function played(sessionId: string, action: string) {
  const res = await act(sessionId, action);
  expect(res.status, `${action}: ${JSON.stringify(res.body)}`).toBe(200);
  return res.body;
}

const action = (available: View[], code: string) => available.find((a) => a.code === code)!;

describe('craft-points pack', () => {
  it('craftPoints_areTheCraftLevelPlusPerceptive_8Plus3Is11', async () => {
    const c = await crafter(8, 1);
    const s = await start(c, 'kitchen_knife', { perceptive: 3, specialty: 1 });
    // cp = level 8 (experience 640 = 10 x 8^2) + perceptive 3 = 11; nothing produced yet.
    expect(s.rules.pools).toEqual({ cp: 11, produced: 0 });
    // The knife costs 4 (specialty 1 >= specialtyLevel 1: not doubled).
    expect(action(s.rules.available, 'produce')).toMatchObject({ usable: true, costs: { cp: 4 } });
    // cp 11 - 4 = 7; produced 1 ends the attempt as a success.
    const done = await played(s.sessionId, 'produce');
    expect(done.rules.pools).toEqual({ cp: 7, produced: 1 });
    expect(done.status).toBe('completed');
  });

  it('aSpecialist_short_ofTheLongswordsCost_sparksOfCreationFor6More_thenProducesIt', async () => {
    const c = await crafter(8, 3);
    const s = await start(c, 'longsword', { perceptive: 3, specialty: 2, sparkOfCreation: 1 });
    // cp 8 + 3 = 11 < the longsword's 12 (specialty 2 >= 2: not doubled).
    expect(s.rules.pools).toEqual({ cp: 11, produced: 0 });
    expect(action(s.rules.available, 'produce')).toMatchObject({ usable: false, reason: 'not enough cp (11 of 12)', costs: { cp: 12 } });
    expect(action(s.rules.available, 'spark_of_creation')).toMatchObject({ usable: true, reason: null });
    const short = await act(s.sessionId, 'produce');
    expectError(short, 409, 'ACTION_NOT_AVAILABLE');
    expect(short.body.details.reason).toContain('cp');

    // Spark of Creation: 11 + 6 = 17.
    const sparked = await played(s.sessionId, 'spark_of_creation');
    expect(sparked.rules.pools).toEqual({ cp: 17, produced: 0 });
    expect(sparked.status).toBe('active');
    // produce: 17 - 12 = 5, produced 1: the attempt succeeds.
    const done = await played(s.sessionId, 'produce');
    expect(done.rules.pools).toEqual({ cp: 5, produced: 1 });
    expect(done.turn).toMatchObject({ action: 'produce', success: true, ended: 'success', deltas: { cp: -12, produced: 1 } });
    expect(done.status).toBe('completed');
    expect(done.outputItemIds).toHaveLength(1);
    // 2 of the 3 steel bars consumed, 1 longsword created.
    expect(await contentsOf(h, w.gs, c.inventoryId)).toEqual({ steel_bar: 1, longsword: 1 });
    longswordSession = s.sessionId;
  });

  it('sparkOfCreation_isOncePerEntityEvery30Days_acrossSessions', async () => {
    const spark = { perceptive: 0, specialty: 1, sparkOfCreation: 1 };
    const a = await crafter(8, 3);
    const first = await start(a, 'kitchen_knife', spark);
    // 8 + 6 = 14, then the knife: 14 - 4 = 10.
    expect((await played(first.sessionId, 'spark_of_creation')).rules.pools).toEqual({ cp: 14, produced: 0 });
    expect((await played(first.sessionId, 'produce')).rules.pools).toEqual({ cp: 10, produced: 1 });

    // A second session of the same crafter: the period's one use is spent.
    const second = await start(a, 'kitchen_knife', spark);
    const view = action(second.rules.available, 'spark_of_creation');
    expect(view.usable).toBe(false);
    expect(view.reason).toBe('used 1 of 1 times in the last 2592000 seconds');
    const refused = await act(second.sessionId, 'spark_of_creation');
    expectError(refused, 409, 'ACTION_NOT_AVAILABLE');
    // The refusal spent nothing: cp still 8, turn 0.
    const still = (await ok(h, '/craft/session/get', { sessionId: second.sessionId })).session.rules;
    expect({ turn: still.turn, pools: still.pools }).toEqual({ turn: 0, pools: { cp: 8, produced: 0 } });
    // 8 - 4 = 4: the session completes without it.
    expect((await played(second.sessionId, 'produce')).rules.pools).toEqual({ cp: 4, produced: 1 });

    // Another crafter has their own charge: 8 + 6 = 14.
    const b = await crafter(8, 1);
    const other = await start(b, 'kitchen_knife', spark);
    expect(action(other.rules.available, 'spark_of_creation').usable).toBe(true);
    expect((await played(other.sessionId, 'spark_of_creation')).rules.pools).toEqual({ cp: 14, produced: 0 });

    // 30 days + 1 s later the first use is out of the window: the first crafter sparks again.
    now += 2_592_000_000 + 1_000;
    const third = await start(a, 'kitchen_knife', spark);
    expect(action(third.rules.available, 'spark_of_creation')).toMatchObject({ usable: true, reason: null });
    expect((await played(third.sessionId, 'spark_of_creation')).rules.pools).toEqual({ cp: 14, produced: 0 });
  });

  it('specialties_gateProduction_aGeneralistPaysDouble_andAbandoningReturnsEverything', async () => {
    // No specialty and no Jack of All Trades: produce's requirement (0 >= 1) is not met, even for
    // the knife, the recipe with the lowest specialtyLevel (1).
    const novice = await crafter(8, 1);
    const locked = await start(novice, 'kitchen_knife', { specialty: 0, jackOfAllTrades: 0 });
    expect(action(locked.rules.available, 'produce')).toMatchObject({ usable: false, reason: 'its requirement is not met' });
    const refused = await act(locked.sessionId, 'produce');
    expectError(refused, 409, 'ACTION_NOT_AVAILABLE');
    expect(refused.body.details.reason).toBe('its requirement is not met');
    // The longsword needs level 2 of either: jackOfAllTrades 1 is not enough for it either.
    await played(locked.sessionId, 'abandon');
    const jack = await crafter(8, 3);
    const sword = await start(jack, 'longsword', { specialty: 0, jackOfAllTrades: 1 });
    expect(action(sword.rules.available, 'produce')).toMatchObject({ usable: false, reason: 'its requirement is not met' });
    await played(sword.sessionId, 'abandon');

    // A generalist (jackOfAllTrades 1 >= 1, specialty 0 < 1) pays the knife double: 4 x 2 = 8.
    const knife = await start(jack, 'kitchen_knife', { specialty: 0, jackOfAllTrades: 1 });
    // cp = 8 + perceptive 0 (default) = 8: exactly enough.
    expect(knife.rules.pools).toEqual({ cp: 8, produced: 0 });
    expect(action(knife.rules.available, 'produce')).toMatchObject({ usable: true, costs: { cp: 8 } });
    const made = await played(knife.sessionId, 'produce');
    // 8 - 8 = 0.
    expect(made.rules.pools).toEqual({ cp: 0, produced: 1 });
    expect(made.status).toBe('completed');
    // 3 - 1 = 2 steel bars left, 1 knife.
    expect(await contentsOf(h, w.gs, jack.inventoryId)).toEqual({ steel_bar: 2, kitchen_knife: 1 });

    // Abandoning: the attempt ends unproduced (`finish`), all or nothing with failureLoss 0: the
    // session fails and every steel bar it escrowed goes back.
    const dropped = await start(jack, 'kitchen_knife', { specialty: 0, jackOfAllTrades: 1 });
    expect(await contentsOf(h, w.gs, jack.inventoryId)).toEqual({ steel_bar: 1, kitchen_knife: 1 });
    const abandoned = await played(dropped.sessionId, 'abandon');
    expect(abandoned.turn).toMatchObject({ action: 'abandon', ended: 'finish' });
    const session = (await ok(h, '/craft/session/get', { sessionId: dropped.sessionId })).session;
    expect(session.status).toBe('failed');
    expect(session.rules.outcomes).toEqual([expect.objectContaining({ success: false, loss: 0 })]);
    expect(session.outputItemIds ?? []).toEqual([]);
    expect(await contentsOf(h, w.gs, jack.inventoryId)).toEqual({ steel_bar: 2, kitchen_knife: 1 });
    // The first abandoned session's bar went back too.
    expect(await contentsOf(h, w.gs, novice.inventoryId)).toEqual({ steel_bar: 1 });
  });

  it('stats_areValidatedAgainstTheRuleset_beforeAnythingIsEscrowed', async () => {
    const c = await crafter(8, 2);
    const undeclared = await startRes(c, 'kitchen_knife', { luck: 5 });
    expectError(undeclared, 400, 'VALIDATION_FAILED');
    expect(undeclared.body.details.errors).toEqual([expect.objectContaining({ path: '/stats/luck' })]);
    // perceptive's max is 50.
    const tooHigh = await startRes(c, 'kitchen_knife', { perceptive: 51 });
    expectError(tooHigh, 400, 'VALIDATION_FAILED');
    expect(tooHigh.body.details.errors).toEqual([expect.objectContaining({ path: '/stats/perceptive' })]);
    // Nothing was escrowed and no session holds the crafter: both bars are there, a valid start works.
    expect(await contentsOf(h, w.gs, c.inventoryId)).toEqual({ steel_bar: 2 });
    const s = await start(c, 'kitchen_knife', { perceptive: 50, specialty: 1 });
    // 8 + 50 = 58.
    expect(s.rules.pools).toEqual({ cp: 58, produced: 0 });
    await played(s.sessionId, 'abandon');
  });

  it('theSpecialistsLongswordSession_replaysExactlyFromItsSeedAndActions', async () => {
    expect(longswordSession, 'the longsword session of the specialist test').not.toBeNull();
    const rec = await expectReplaysExactly(h, longswordSession!);
    expect(rec.turns.map((t) => t.action)).toEqual(['spark_of_creation', 'produce']);
    expect(rec.state.pools).toEqual({ cp: 5, produced: 1 });
  });
});
