import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditItems, expectConserved } from '../../helpers/audit.js';
import { startHarness, type Harness } from '../../helpers/harness.js';
import { contentsOf, crafterWith } from '../../helpers/packs.js';
import { ok } from '../../helpers/world.js';

/**
 * Ruleset sessions under concurrent and repeated requests: every item counted. The ruleset:
 * heat 0..10; `oil` burns one oil from the inventory (at most 2 per attempt) for +1 heat;
 * `hammer` +2 heat; heat 10 succeeds. 2 ingots -> 1 blade.
 */
let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h?.close();
});

const QUENCH = {
  code: 'quench',
  name: 'Quench',
  pools: [{ name: 'heat', start: 0, min: 0, max: 10 }],
  actions: [
    { code: 'oil', consumable: { itemTemplateCode: 'oil', quantity: 1 }, charges: { max: 2, per: 'attempt' }, onSuccess: [{ op: 'add', pool: 'heat', amount: 1 }] },
    { code: 'hammer', onSuccess: [{ op: 'add', pool: 'heat', amount: 2 }] },
  ],
  end: { success: { '>=': [{ var: 'pools.heat' }, 10] }, maxTurns: 20 },
  outcome: { mode: 'allOrNothing', score: { '*': [10, { var: 'pools.heat' }] } },
};
const RECIPE = {
  ...{ code: 'quench_blade', recipeType: 'production', domain: 'smithing', isDefaultKnown: true },
  inputs: [{ itemTemplateCode: 'ingot', quantity: 2 }],
  steps: [{ code: 'work', name: 'Work' }],
  outputs: [{ itemTemplateCode: 'blade', quantity: 1, qualityInfluence: 1 }],
  ruleset: { code: 'quench' },
};
const GRANTED = { ingot: 2, oil: 5 };

async function world() {
  const gs = await h.gameService();
  for (const [code, category] of [['ingot', 'metal'], ['oil', 'consumable'], ['blade', 'blade']]) await ok(h, '/dev/item/template/create', { gameServiceId: gs, code, category });
  const seeded = await ok(h, '/craft/recipe/seed', { gameServiceId: gs, rulesets: [QUENCH], recipes: [RECIPE] });
  const c = await crafterWith(h, gs, [{ code: 'ingot', quantity: 2 }, { code: 'oil', quantity: 5 }]);
  const { sessionId } = await ok(h, '/craft/session/start', { recipeId: seeded.created[0].recipeId, entityId: c.entityId, entityType: c.entityType, inventoryId: c.inventoryId });
  return { gs, c, sessionId: sessionId as string };
}

const escrowOf = async (sessionId: string) =>
  (await h.runtime.internals.prisma.craftSession.findUniqueOrThrow({ where: { id: sessionId } })).escrowContainerId!;
const act = (sessionId: string, action: string, headers: Record<string, string> = {}) => h.post('/craft/session/advance', { sessionId, action }, headers);

describe('ruleset sessions under concurrency', () => {
  it('twelveConcurrentOilActions_atMostTheTwoCharges_eachAcceptedOneBurnsExactlyOneOil', async () => {
    const { gs, c, sessionId } = await world();
    const answers = await Promise.all(Array.from({ length: 12 }, () => act(sessionId, 'oil')));
    expect(answers.filter((a) => a.status >= 500), JSON.stringify(answers.map((a) => a.body))).toEqual([]);
    const accepted = answers.filter((a) => a.status === 200).length;
    expect(accepted).toBeGreaterThanOrEqual(1);
    expect(accepted).toBeLessThanOrEqual(2);
    for (const a of answers.filter((x) => x.status !== 200)) expect(['SESSION_LOCKED', 'ACTION_NOT_AVAILABLE', 'SESSION_VERSION_CONFLICT']).toContain(a.body.code);
    const s = (await ok(h, '/craft/session/get', { sessionId })).session;
    expect({ turn: s.rules.turn, heat: s.rules.pools.heat }).toEqual({ turn: accepted, heat: accepted });
    // Oil: one burnt per accepted action; the refused ones' oil went back (nothing left in the escrow but the ingots).
    expect(await contentsOf(h, gs, c.inventoryId)).toEqual({ oil: 5 - accepted });
    expect(await contentsOf(h, gs, await escrowOf(sessionId))).toEqual({ ingot: 2 });
    const audit = await auditItems(h, gs);
    expect(audit.oil).toMatchObject({ consumed: accepted, live: 5 - accepted });
    expectConserved(audit, GRANTED);

    // Finish: 5 hammers from heat <= 2 reach 10; the ingots become one blade.
    for (let i = 0; i < 5 && (await ok(h, '/craft/session/get', { sessionId })).session.status === 'active'; i++) await ok(h, '/craft/session/advance', { sessionId, action: 'hammer' });
    expect(await contentsOf(h, gs, c.inventoryId)).toEqual({ oil: 5 - accepted, blade: 1 });
    const end = await auditItems(h, gs);
    expect(end.ingot).toMatchObject({ consumed: 2, live: 0 });
    expectConserved(end, GRANTED);
  });

  it('anAdvanceRepeatedWithItsIdempotencyKey_concurrentlyAndAfter_playsOnceAndBurnsOneOil', async () => {
    const { gs, c, sessionId } = await world();
    const key = { 'idempotency-key': `oil-${sessionId}` };
    const answers = await Promise.all(Array.from({ length: 4 }, () => act(sessionId, 'oil', key)));
    const again = await act(sessionId, 'oil', key);
    const statuses = [...answers, again].map((a) => a.status);
    expect(statuses.filter((st) => st >= 500)).toEqual([]);
    const played = [...answers, again].filter((a) => a.status === 200);
    expect(played.length).toBeGreaterThanOrEqual(1);
    // Every 200 is the same answer: the first turn's.
    for (const p of played) expect(p.body).toEqual(played[0]!.body);
    expect(played[0]!.body.rules.turn).toBe(1);
    const s = (await ok(h, '/craft/session/get', { sessionId })).session;
    expect(s.rules.turn).toBe(1);
    expect(await contentsOf(h, gs, c.inventoryId)).toEqual({ oil: 4 });
    expectConserved(await auditItems(h, gs), GRANTED);
  });

  it('cancelRacingOilActions_returnsTheIngotsAndEveryUnburntOil_burntOnesStayBurnt', async () => {
    const { gs, c, sessionId } = await world();
    await ok(h, '/craft/session/advance', { sessionId, action: 'oil' });
    const answers = await Promise.all([act(sessionId, 'oil'), h.post('/craft/session/cancel', { sessionId }), act(sessionId, 'oil'), act(sessionId, 'hammer')]);
    expect(answers.filter((a) => a.status >= 500), JSON.stringify(answers.map((a) => a.body))).toEqual([]);
    // Whatever the order, the session ends cancelled (a second cancel answers the same).
    const cancelled = await h.post('/craft/session/cancel', { sessionId });
    expect(cancelled.status).toBe(200);
    const s = (await ok(h, '/craft/session/get', { sessionId })).session;
    expect(s.status).toBe('cancelled');
    const burnt = s.rules.turn - (answers[3]!.status === 200 ? 1 : 0);
    expect(await contentsOf(h, gs, c.inventoryId)).toEqual({ ingot: 2, oil: 5 - burnt });
    const audit = await auditItems(h, gs);
    expect(audit.oil).toMatchObject({ consumed: burnt });
    expect(audit.ingot).toMatchObject({ consumed: 0, live: 2 });
    expectConserved(audit, GRANTED);
  });
});
