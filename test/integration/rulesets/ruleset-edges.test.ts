import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from '../../helpers/harness.js';
import { contentsOf, crafterWith } from '../../helpers/packs.js';
import { expectError, ok } from '../../helpers/world.js';

/**
 * Edges of rulesets found from the outside: a trial spends no real period charge; a seed may pin
 * the version it stores; a reordered definition is not a new version; the default quality is the
 * score as a percentage everywhere (outputs, the running quality, the session's final quality).
 */
let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h?.close();
});

type Json = Record<string, unknown>;
type Crafter = Awaited<ReturnType<typeof crafterWith>>;

/** Inspire: +50 progress once per entity and day; work: +25; progress 100 succeeds. No outcome.quality. */
const inspiring = (o: { name?: string } = {}) => ({
  code: 'inspiring',
  name: o.name ?? 'Inspiring work',
  pools: [{ name: 'progress', start: 0, min: 0, max: 100 }],
  actions: [
    { code: 'inspire', charges: { max: 1, per: 'period', periodSeconds: 86_400 }, onSuccess: [{ op: 'add', pool: 'progress', amount: 50 }] },
    { code: 'work', onSuccess: [{ op: 'add', pool: 'progress', amount: 25 }] },
  ],
  end: { success: { '>=': [{ var: 'pools.progress' }, 100] }, maxTurns: 10 },
  outcome: { mode: 'allOrNothing', score: { var: 'pools.progress' } },
  trial: { allowed: true, experienceMultiplier: 0 },
});

const recipe = (code: string, ruleset: Json) => ({
  ...{ code, recipeType: 'production', domain: 'carving', isDefaultKnown: true },
  inputs: [{ itemTemplateCode: 'oak_log', quantity: 1 }],
  steps: [{ code: 'carve', name: 'Carve' }],
  outputs: [{ itemTemplateCode: 'statue', quantity: 1, qualityInfluence: 1 }],
  ruleset,
});

async function game(rulesets: Json[], recipes: Json[]) {
  const gs = await h.gameService();
  for (const [code, category] of [['oak_log', 'wood'], ['statue', 'decor']]) await ok(h, '/dev/item/template/create', { gameServiceId: gs, code, category });
  const seeded = await ok(h, '/craft/recipe/seed', { gameServiceId: gs, rulesets, recipes });
  return { gs, seeded, ids: Object.fromEntries(seeded.created.map((c: { code: string; recipeId: string }) => [c.code, c.recipeId])) as Record<string, string> };
}

const start = async (recipeId: string, c: Crafter, extra: Json = {}) =>
  ok(h, '/craft/session/start', { recipeId, entityId: c.entityId, entityType: c.entityType, inventoryId: c.inventoryId, ...extra });
const act = (sessionId: string, action: string) => h.post('/craft/session/advance', { sessionId, action });
/** Plays the actions (each must be accepted); the session's status after the last. */
async function finish(sessionId: string, ...actions: string[]) {
  let status = '';
  for (const a of actions) status = (await ok(h, '/craft/session/advance', { sessionId, action: a })).status;
  return status;
}
const usable = (view: { available: { code: string; usable: boolean }[] }, code: string) => view.available.find((a) => a.code === code)!.usable;

describe('ruleset edges', () => {
  it('aTrialCraft_spendsNoRealPeriodCharge_theEntityStillHasItsOneUse', async () => {
    const { gs, ids } = await game([inspiring()], [recipe('statue', { code: 'inspiring' })]);
    const c = await crafterWith(h, gs, [{ code: 'oak_log', quantity: 2 }]);
    const trial = await start(ids.statue!, c, { trial: true });
    expect(trial.rules.trial).toBe(true);
    expect(await finish(trial.sessionId, 'inspire', 'work', 'work')).toBe('completed');
    // A real session afterwards: the day's one inspiration is still there, and it spends it.
    const real = await start(ids.statue!, c);
    expect(usable(real.rules, 'inspire')).toBe(true);
    expect(await finish(real.sessionId, 'inspire', 'work', 'work')).toBe('completed');
    // Now it is spent, for trials and real sessions alike.
    const again = await start(ids.statue!, c);
    expect(usable(again.rules, 'inspire')).toBe(false);
    expectError(await act(again.sessionId, 'inspire'), 409, 'ACTION_NOT_AVAILABLE');
    expect(await finish(again.sessionId, 'work', 'work', 'work', 'work')).toBe('completed');
    const trialAgain = await start(ids.statue!, c, { trial: true });
    expect(usable(trialAgain.rules, 'inspire')).toBe(true);
    // The trial took and made nothing: two logs became two statues.
    expect(await contentsOf(h, gs, c.inventoryId)).toEqual({ statue: 2 });
  });

  it('aSeed_mayPinTheVersionItStores_andAReorderedDefinitionIsUnchanged', async () => {
    const pinned = recipe('pinned', { code: 'inspiring', version: 1 });
    const first = await game([inspiring()], [pinned]);
    expect(first.seeded.rulesets).toEqual([expect.objectContaining({ code: 'inspiring', version: 1, result: 'created' })]);
    expect(first.ids.pinned).toBeDefined();

    // The same definition with its keys in another order (a reformatted pack file): unchanged.
    const reordered = Object.fromEntries(Object.entries(inspiring()).reverse());
    const again = await ok(h, '/craft/recipe/seed', { gameServiceId: first.gs, rulesets: [reordered], recipes: [pinned] });
    expect(again.rulesets).toEqual([expect.objectContaining({ version: 1, result: 'unchanged' })]);

    // A changed definition becomes version 2, and a recipe of the same seed may pin 2 ...
    const changed = await ok(h, '/craft/recipe/seed', {
      gameServiceId: first.gs,
      rulesets: [inspiring({ name: 'Inspiring work, revised' })],
      recipes: [recipe('pinned_v2', { code: 'inspiring', version: 2 })],
    });
    expect(changed.rulesets).toEqual([expect.objectContaining({ version: 2, result: 'versioned' })]);
    expect(changed.created.map((r: { code: string }) => r.code)).toEqual(['pinned_v2']);
    // ... but not a version that neither exists nor is being stored; nothing is written then.
    const refused = await h.post('/craft/recipe/seed', {
      gameServiceId: first.gs,
      rulesets: [inspiring({ name: 'Third' })],
      recipes: [recipe('pinned_v9', { code: 'inspiring', version: 9 })],
    });
    expectError(refused, 400, 'RECIPE_SEED_INVALID');
    expect(JSON.stringify(refused.body.details)).toContain('RULESET_NOT_FOUND');
    expect((await ok(h, '/craft/ruleset/get', { gameServiceId: first.gs, code: 'inspiring' })).ruleset.version).toBe(2);
  });

  it('withoutOutcomeQuality_theQualityIsTheScoreAsAPercentage_runningFinalAndOnTheOutput', async () => {
    const { gs, ids } = await game([inspiring()], [recipe('statue', { code: 'inspiring' })]);
    const c = await crafterWith(h, gs, [{ code: 'oak_log', quantity: 1 }]);
    const s = await start(ids.statue!, c);
    expect((await act(s.sessionId, 'work')).status).toBe(200);
    // progress 25: the running quality is 0.25.
    expect((await ok(h, '/craft/session/get', { sessionId: s.sessionId })).session.accumulatedQuality).toBe(0.25);
    for (const a of ['work', 'inspire']) expect((await act(s.sessionId, a)).status).toBe(200);
    const done = (await ok(h, '/craft/session/get', { sessionId: s.sessionId })).session;
    expect(done.status).toBe('completed');
    expect({ running: done.accumulatedQuality, final: done.finalQuality }).toEqual({ running: 1, final: 1 });
    const row = await h.runtime.internals.prisma.stubItemInstance.findUniqueOrThrow({ where: { id: done.outputItemIds[0] } });
    expect(JSON.parse(row.instanceMetadata).quality).toBe(1);
  });

  it('rulesetGet_anUnknownId_namesTheIdInItsDetails', async () => {
    const res = await h.post('/craft/ruleset/get', { rulesetId: '7d1f6c1e-3f0b-4c55-9a55-3b1f1c1e2d3f' });
    expectError(res, 404, 'RULESET_NOT_FOUND');
    expect(res.body.details).toEqual({ rulesetId: '7d1f6c1e-3f0b-4c55-9a55-3b1f1c1e2d3f' });
  });

  it('expressions_reachTwelveLevelsWithListedArguments_theThirteenthIsRefusedByTheRulesCheck', async () => {
    const gs = await h.gameService();
    // Twelve levels of nesting below the root: 12 nested additions (each an object and a list in JSON) around a var.
    const nested = (n: number): unknown => (n === 1 ? { var: 'pools.progress' } : { '+': [nested(n - 1), 1] });
    const withScore = (code: string, n: number) => ({ ...inspiring(), code, outcome: { mode: 'allOrNothing', score: nested(n) } });
    const twelve = await h.post('/craft/ruleset/create', { gameServiceId: gs, ruleset: withScore('deep_twelve', 13) });
    expect(twelve.status, JSON.stringify(twelve.body)).toBe(200);
    const thirteen = await h.post('/craft/ruleset/create', { gameServiceId: gs, ruleset: withScore('deep_thirteen', 14) });
    expectError(thirteen, 400, 'RULESET_INVALID');
    expect(thirteen.body.details.errors.map((e: { code: string }) => e.code)).toContain('EXPRESSION_TOO_DEEP');
  });
});
