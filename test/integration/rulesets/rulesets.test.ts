import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditItems } from '../../helpers/audit.js';
import { startHarness, type Harness } from '../../helpers/harness.js';
import { contentsOf, crafterWith } from '../../helpers/packs.js';
import { snapshotOf } from '../../helpers/tenants.js';
import { bearer, mintToken } from '../../helpers/tokens.js';
import { expectError, ok } from '../../helpers/world.js';

/**
 * The ruleset HTTP API end to end: create / get / list / update / deprecate, rulesets in
 * recipe/seed, recipes pinning a version, sessions keeping the version they started with,
 * tenancy, and what ruleset and step sessions refuse. Every action here succeeds (chance 1):
 * the numbers follow from the ruleset by hand.
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

/**
 * Forge rules: progress 0..100, heat 2 (0..5). hammer costs 1 heat and adds `hammer` progress
 * (40), stoke adds 2 heat, polish (only from progress 50) adds 20; progress 100 succeeds.
 */
function rules(o: { code?: string; name?: string; hammer?: number; polish?: boolean } = {}) {
  return {
    code: o.code ?? 'forge_rules',
    name: o.name ?? 'Forge rules',
    pools: [{ name: 'progress', start: 0, min: 0, max: 100 }, { name: 'heat', start: 2, min: 0, max: 5 }],
    actions: [
      { code: 'hammer', costs: { heat: 1 }, onSuccess: [{ op: 'add', pool: 'progress', amount: o.hammer ?? 40 }] },
      { code: 'stoke', onSuccess: [{ op: 'add', pool: 'heat', amount: 2 }] },
      ...(o.polish === false ? [] : [{ code: 'polish', requires: { '>=': [{ var: 'pools.progress' }, 50] }, onSuccess: [{ op: 'add', pool: 'progress', amount: 20 }] }]),
    ],
    end: { success: { '>=': [{ var: 'pools.progress' }, 100] }, maxTurns: 12 },
    outcome: { mode: 'allOrNothing', score: { var: 'pools.progress' } },
  };
}

/** 2 iron ingots -> 1 iron sword, played by `ruleset` (none: the step model, one step "work"). */
function recipe(code: string, ruleset?: Json) {
  return {
    ...{ code, recipeType: 'production', domain: 'smithing', isDefaultKnown: true },
    inputs: [{ itemTemplateCode: 'iron_ingot', quantity: 2 }],
    steps: [{ code: 'work', name: 'Work' }],
    outputs: [{ itemTemplateCode: 'iron_sword', quantity: 1, qualityInfluence: 1 }],
    ...(ruleset && { ruleset }),
  };
}

/** A fresh game service with the two item templates. */
async function templated() {
  const gs = await h.gameService();
  for (const [code, category] of [['iron_ingot', 'metal'], ['iron_sword', 'sword']]) await ok(h, '/dev/item/template/create', { gameServiceId: gs, code, category });
  return gs;
}

/** A game with these rulesets and recipes seeded in one call; recipe ids by code. */
async function game(rulesets: Json[] = [rules()], recipes: Json[] = [recipe('sword', { code: 'forge_rules' })]) {
  const gs = await templated();
  const seeded = await ok(h, '/craft/recipe/seed', { gameServiceId: gs, rulesets, recipes });
  const ids: Record<string, string> = Object.fromEntries(seeded.created.map((c: { code: string; recipeId: string }) => [c.code, c.recipeId]));
  return { gs, ids };
}

/** A recipe pinned to version 1, created by recipe/create after the seed. */
const pinnedToV1 = async (gs: string) =>
  (await ok(h, '/craft/recipe/create', { gameServiceId: gs, ...recipe('pinned_sword', { code: 'forge_rules', version: 1 }) })).recipeId as string;
const crafter = (gs: string) => crafterWith(h, gs, [{ code: 'iron_ingot', quantity: 2 }]);
const contents = (gs: string, c: Crafter) => contentsOf(h, gs, c.inventoryId);
const start = (recipeId: string, c: Crafter, extra: Json = {}) =>
  h.post('/craft/session/start', { recipeId, entityId: c.entityId, entityType: c.entityType, inventoryId: c.inventoryId, ...extra });
const act = (sessionId: string, action: string) => h.post('/craft/session/advance', { sessionId, action });
const getRuleset = (gs: string, extra: Json = {}) => h.post('/craft/ruleset/get', { gameServiceId: gs, code: 'forge_rules', ...extra });
const sessionOf = async (sessionId: string) => (await ok(h, '/craft/session/get', { sessionId })).session;

async function started(recipeId: string, c: Crafter) {
  const res = await start(recipeId, c);
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body as { sessionId: string; rules: { version: number; pools: Record<string, number>; available: { code: string }[] } };
}

/** Plays the actions in order (each must succeed); the last answer. */
async function play(sessionId: string, ...actions: string[]) {
  let last: any;
  for (const a of actions) {
    last = await act(sessionId, a);
    expect(last.status, `${a}: ${JSON.stringify(last.body)}`).toBe(200);
  }
  return last.body;
}

describe('rulesets', () => {
  it('create_thenGet_returnsTheDefinitionAndVersion1_listPages_andTheSameCodeAgainIs409', async () => {
    const gs = await h.gameService();
    const created = await ok(h, '/craft/ruleset/create', { gameServiceId: gs, ruleset: rules() });
    expect(created.ruleset).toMatchObject({ gameServiceId: gs, code: 'forge_rules', version: 1, definition: rules(), isDeprecated: false });
    const byCode = await getRuleset(gs);
    expect(byCode.status).toBe(200);
    expect(byCode.body.ruleset).toEqual(created.ruleset);
    expect((await ok(h, '/craft/ruleset/get', { rulesetId: created.ruleset.rulesetId })).ruleset).toEqual(created.ruleset);
    expectError(await getRuleset(gs, { version: 2 }), 404, 'RULESET_NOT_FOUND');

    await ok(h, '/craft/ruleset/create', { gameServiceId: gs, ruleset: rules({ code: 'anvil_rules' }) });
    const all = await ok(h, '/craft/ruleset/list', { gameServiceId: gs });
    expect({ total: all.totalCount, codes: all.items.map((r: Json) => r.code) }).toEqual({ total: 2, codes: ['anvil_rules', 'forge_rules'] });
    const page2 = await ok(h, '/craft/ruleset/list', { gameServiceId: gs, page: 2, pageSize: 1 });
    expect({ total: page2.totalCount, items: page2.items }).toEqual({ total: 2, items: [created.ruleset] });

    // The code is taken: create does not overwrite it (update adds versions).
    const again = await h.post('/craft/ruleset/create', { gameServiceId: gs, ruleset: rules({ name: 'Other', hammer: 99 }) });
    expectError(again, 409, 'RULESET_CODE_EXISTS');
    expect((await getRuleset(gs)).body.ruleset).toEqual(created.ruleset);
  });

  it('anInvalidDefinition_is400RulesetInvalid_withThePathOfEveryProblem_onCreateUpdateAndSeed_andWritesNothing', async () => {
    const gs = await templated();
    await ok(h, '/craft/ruleset/create', { gameServiceId: gs, ruleset: rules() });
    const bad = {
      ...rules(),
      pools: [{ name: 'progress', start: 0, max: 100 }, { name: 'progress', start: 1 }],
      actions: [
        { code: 'hammer', costs: { fuel: 1 }, onSuccess: [{ op: 'add', pool: 'quality', amount: { var: 'stats.strength' } }] },
        { code: 'hammer' },
      ],
      buffs: [{ code: 'focus', consumedBy: ['polish'] }],
      end: { success: { eval: ['pools.progress'] } },
      outcome: { mode: 'bands', score: { var: 'pools.progress' }, bands: [{ min: 50, name: 'good', success: true }, { min: 10, name: 'poor', success: false }] },
    };
    const expected = [
      ['/pools/1', 'NAME_DUPLICATE'],
      ['/actions/1', 'NAME_DUPLICATE'],
      ['/actions/0/costs/fuel', 'UNKNOWN_POOL'],
      ['/actions/0/onSuccess/0/pool', 'UNKNOWN_POOL'],
      ['/actions/0/onSuccess/0/amount/var', 'UNKNOWN_VARIABLE'],
      ['/buffs/0/consumedBy/0', 'UNKNOWN_ACTION'],
      ['/end/success/eval', 'OPERATOR_NOT_ALLOWED'],
      ['/outcome/bands/1/min', 'BANDS_UNORDERED'],
    ];
    const problems = (res: { body: any }) => (res.body.details.errors as { path: string; code: string }[]).map((e) => [e.path, e.code]).sort();
    const before = await snapshotOf(h, gs);

    const created = await h.post('/craft/ruleset/create', { gameServiceId: gs, ruleset: { ...bad, code: 'broken_rules' } });
    expectError(created, 400, 'RULESET_INVALID');
    expect(problems(created)).toEqual([...expected].sort());
    const updated = await h.post('/craft/ruleset/update', { gameServiceId: gs, ruleset: bad });
    expectError(updated, 400, 'RULESET_INVALID');
    expect(problems(updated)).toEqual([...expected].sort());
    // In a seed, from the request's root.
    const seeded = await h.post('/craft/recipe/seed', { gameServiceId: gs, rulesets: [bad], recipes: [recipe('sword', { code: 'forge_rules' })] });
    expectError(seeded, 400, 'RULESET_INVALID');
    expect(problems(seeded)).toEqual(expected.map(([p, c]) => [`/rulesets/0${p}`, c]).sort());

    // Nothing written: no broken_rules, forge_rules still version 1, no recipe.
    expect(await snapshotOf(h, gs)).toEqual(before);
    expect((await ok(h, '/craft/ruleset/list', { gameServiceId: gs, includeDeprecated: true })).items.map((r: Json) => [r.code, r.version])).toEqual([['forge_rules', 1]]);
  });

  it('update_addsVersion2_pinnedRecipesPlayV1_othersV2_andARunningSessionKeepsItsV1Snapshot', async () => {
    const { gs, ids } = await game();
    ids.pinned_sword = await pinnedToV1(gs);
    const v1 = (await getRuleset(gs)).body.ruleset;
    const early = await crafter(gs);
    const running = await started(ids.sword!, early);
    expect(running.rules.version).toBe(1);

    // v2: hammer adds 25 instead of 40, polish is gone.
    const v2def = rules({ name: 'Forge rules 2', hammer: 25, polish: false });
    const v2 = (await ok(h, '/craft/ruleset/update', { gameServiceId: gs, ruleset: v2def })).ruleset;
    expect(v2).toMatchObject({ code: 'forge_rules', version: 2, definition: v2def });
    expect(v2.rulesetId).not.toBe(v1.rulesetId);
    expect((await getRuleset(gs)).body.ruleset).toEqual(v2);
    expect((await getRuleset(gs, { version: 1 })).body.ruleset).toEqual(v1);
    expect((await ok(h, '/craft/ruleset/get', { rulesetId: v1.rulesetId })).ruleset).toEqual(v1);
    const listed = await ok(h, '/craft/ruleset/list', { gameServiceId: gs });
    expect({ total: listed.totalCount, versions: listed.items.map((r: Json) => r.version) }).toEqual({ total: 1, versions: [2] });

    // The session started before the update plays v1: hammer +40 twice, then polish (v1 only) +20 = 100.
    expect((await play(running.sessionId, 'hammer')).rules.pools).toEqual({ progress: 40, heat: 1 });
    const done = await play(running.sessionId, 'hammer', 'polish');
    expect({ pools: done.rules.pools, status: done.status, version: done.rules.version }).toEqual({ pools: { progress: 100, heat: 0 }, status: 'completed', version: 1 });
    expect(await contents(gs, early)).toEqual({ iron_sword: 1 });

    // An unpinned recipe's next session plays v2: hammer +25, no polish.
    const late = await started(ids.sword!, await crafter(gs));
    expect({ version: late.rules.version, actions: late.rules.available.map((a) => a.code) }).toEqual({ version: 2, actions: ['hammer', 'stoke'] });
    expect((await play(late.sessionId, 'hammer')).rules.pools).toEqual({ progress: 25, heat: 1 });
    expectError(await act(late.sessionId, 'polish'), 400, 'ACTION_NOT_FOUND');

    // The recipe pinned to version 1 still starts on v1.
    const pinned = await started(ids.pinned_sword!, await crafter(gs));
    expect(pinned.rules.version).toBe(1);
    expect((await play(pinned.sessionId, 'hammer')).rules.pools).toEqual({ progress: 40, heat: 1 });
  });

  it('deprecate_refusesNewSessions_letsARunningOneFinish_keepsItReadable_andRefusesUpdates', async () => {
    const { gs, ids } = await game();
    ids.pinned_sword = await pinnedToV1(gs);
    const a = await crafter(gs);
    const running = await started(ids.sword!, a);

    const dep = (await ok(h, '/craft/ruleset/deprecate', { gameServiceId: gs, code: 'forge_rules', reason: 'replaced by anvil' })).ruleset;
    expect(dep).toMatchObject({ version: 1, isDeprecated: true, deprecationReason: 'replaced by anvil', deprecatedAt: expect.any(String) });

    // No new session, pinned or not; nothing taken from the crafter.
    const b = await crafter(gs);
    expectError(await start(ids.sword!, b), 400, 'RULESET_DEPRECATED');
    expectError(await start(ids.pinned_sword!, b), 400, 'RULESET_DEPRECATED');
    expect(await contents(gs, b)).toEqual({ iron_ingot: 2 });

    // The running session finishes: 2 ingots consumed, 1 sword created.
    const done = await play(running.sessionId, 'hammer', 'hammer', 'polish');
    expect(done.status).toBe('completed');
    expect(await contents(gs, a)).toEqual({ iron_sword: 1 });
    expect(await auditItems(h, gs)).toMatchObject({ iron_ingot: { live: 2, consumed: 2 }, iron_sword: { live: 1, crafted: 1 } });

    // Readable, flagged; listed only with includeDeprecated; a second deprecation keeps the first reason.
    expect((await getRuleset(gs, { version: 1 })).body.ruleset).toEqual(dep);
    expect((await ok(h, '/craft/ruleset/list', { gameServiceId: gs })).totalCount).toBe(0);
    expect((await ok(h, '/craft/ruleset/list', { gameServiceId: gs, includeDeprecated: true })).items).toEqual([dep]);
    const twice = await ok(h, '/craft/ruleset/deprecate', { gameServiceId: gs, code: 'forge_rules', reason: 'again' });
    expect(twice.ruleset.deprecationReason).toBe('replaced by anvil');
    expectError(await h.post('/craft/ruleset/update', { gameServiceId: gs, ruleset: rules({ hammer: 50 }) }), 400, 'RULESET_DEPRECATED');
    expect((await getRuleset(gs)).body.ruleset).toEqual(dep);

    // recipe/create only checks that the ruleset exists: the recipe is stored, its sessions are refused.
    const axe = await ok(h, '/craft/recipe/create', { gameServiceId: gs, ...recipe('axe', { code: 'forge_rules' }) });
    expectError(await start(axe.recipeId, b), 400, 'RULESET_DEPRECATED');
    expect(await contents(gs, b)).toEqual({ iron_ingot: 2 });
  });

  it('seed_createsThenLeavesThenVersionsRulesets_andAMissingRulesetWritesNothing', async () => {
    const gs = await templated();
    const seed = (rulesets: Json[], recipes: Json[]) => h.post('/craft/recipe/seed', { gameServiceId: gs, rulesets, recipes });
    const sword = recipe('sword', { code: 'forge_rules' });

    const first = await seed([rules()], [sword]);
    expect(first.status).toBe(200);
    const rulesetId = first.body.rulesets[0].rulesetId;
    expect(first.body).toMatchObject({ createdCount: 1, rulesets: [{ code: 'forge_rules', version: 1, rulesetId: expect.any(String), result: 'created' }] });
    const again = await seed([rules()], [sword]);
    expect(again.body).toMatchObject({ createdCount: 0, skipped: ['sword'], rulesets: [{ code: 'forge_rules', version: 1, rulesetId, result: 'unchanged' }] });
    const changed = await seed([rules({ hammer: 25 })], [sword]);
    expect(changed.body.rulesets).toEqual([{ code: 'forge_rules', version: 2, rulesetId: expect.any(String), result: 'versioned' }]);
    expect((await getRuleset(gs)).body.ruleset).toMatchObject({ version: 2, definition: rules({ hammer: 25 }) });
    // The seeded recipe's next session plays the new version: hammer +25.
    const s = await started(first.body.created[0].recipeId, await crafter(gs));
    expect((await play(s.sessionId, 'hammer')).rules.pools).toEqual({ progress: 25, heat: 1 });

    // A recipe naming a ruleset that exists nowhere: 400, neither the seed's ruleset nor its recipes are written.
    const before = await snapshotOf(h, gs);
    const missing = await seed([rules({ code: 'anvil_rules' })], [recipe('axe', { code: 'anvil_rules' }), recipe('mace', { code: 'missing_rules' })]);
    expectError(missing, 400, 'RECIPE_SEED_INVALID');
    expect(missing.body.details.invalid).toEqual([{ index: 1, code: 'mace', errors: [expect.objectContaining({ path: 'ruleset.code', code: 'RULESET_NOT_FOUND' })] }]);
    expect(await snapshotOf(h, gs)).toEqual(before);
    expectError(await getRuleset(gs, { code: 'anvil_rules' }), 404, 'RULESET_NOT_FOUND');
  });

  it('aTokenScopedToGameServiceA_cannotReadListUpdateOrDeprecateBsRuleset_ofTheSameCode', async () => {
    const a = await game([rules({ name: 'A rules' })]);
    const b = await game([rules({ name: 'B rules', hammer: 30 })]);
    const bRuleset = (await getRuleset(b.gs)).body.ruleset;
    const asA = bearer(await mintToken({ sub: 'tenant-a', roles: ['admin'], gameServices: [a.gs] }));
    const before = await snapshotOf(h, b.gs);

    const answers = {
      getByCode: await h.post('/craft/ruleset/get', { gameServiceId: b.gs, code: 'forge_rules' }, asA),
      getByVersion: await h.post('/craft/ruleset/get', { gameServiceId: b.gs, code: 'forge_rules', version: 1 }, asA),
      getById: await h.post('/craft/ruleset/get', { rulesetId: bRuleset.rulesetId }, asA),
      update: await h.post('/craft/ruleset/update', { gameServiceId: b.gs, ruleset: rules({ name: 'Hijacked' }) }, asA),
      deprecate: await h.post('/craft/ruleset/deprecate', { gameServiceId: b.gs, code: 'forge_rules', reason: 'hijacked' }, asA),
      create: await h.post('/craft/ruleset/create', { gameServiceId: b.gs, ruleset: rules({ code: 'planted_rules' }) }, asA),
      list: await h.post('/craft/ruleset/list', { gameServiceId: b.gs, includeDeprecated: true }, asA),
    };
    // Exactly as a missing ruleset / game service answers (never 403), and nothing of B's in any answer.
    expect(Object.fromEntries(Object.entries(answers).map(([k, r]) => [k, `${r.status} ${r.body.code ?? ''}`]))).toEqual({
      getByCode: '404 RULESET_NOT_FOUND',
      getByVersion: '404 RULESET_NOT_FOUND',
      getById: '404 RULESET_NOT_FOUND',
      update: '404 RULESET_NOT_FOUND',
      deprecate: '404 RULESET_NOT_FOUND',
      create: '400 GAME_SERVICE_NOT_FOUND',
      list: '200 ',
    });
    expect(answers.list.body).toMatchObject({ items: [], totalCount: 0 });
    for (const r of Object.values(answers)) expect(JSON.stringify(r.body)).not.toContain('B rules');

    // A's own ruleset of that code answers A's; B's is unchanged.
    expect((await h.post('/craft/ruleset/get', { gameServiceId: a.gs, code: 'forge_rules' }, asA)).body.ruleset).toMatchObject({ gameServiceId: a.gs, definition: { name: 'A rules' } });
    expect(await snapshotOf(h, b.gs)).toEqual(before);
    expect((await getRuleset(b.gs)).body.ruleset).toEqual(bRuleset);
  });

  it('stepRecipes_refuseStatsAndTrial_takeActionOnlyAsALabel_andRulesetSessionsNeedAnAction', async () => {
    const { gs, ids } = await game([rules()], [recipe('sword', { code: 'forge_rules' }), recipe('plain_sword')]);
    const c = await crafter(gs);
    // Stats and trials are for ruleset recipes; this ruleset declares no trial either.
    for (const extra of [{ stats: { strength: 5 } }, { trial: true }]) {
      const refused = await start(ids.plain_sword!, c, extra);
      expectError(refused, 400, 'VALIDATION_FAILED');
      expect(refused.body.details).toEqual({ recipeId: ids.plain_sword });
    }
    expectError(await start(ids.sword!, c, { trial: true }), 400, 'TRIAL_NOT_ALLOWED');
    expect(await contents(gs, c)).toEqual({ iron_ingot: 2 });

    const step = await started(ids.plain_sword!, c);
    expect(step.rules).toBeUndefined();
    // The contract has no `actionCode` (the field is `action`).
    const named = await h.post('/craft/session/advance', { sessionId: step.sessionId, stepCode: 'work', actionCode: 'hammer' });
    expectError(named, 400, 'VALIDATION_FAILED');
    expect(named.body.details.errors).toEqual([expect.objectContaining({ keyword: 'additionalProperties', params: { additionalProperty: 'actionCode' } })]);
    // A step session needs its stepCode: an action alone is refused; with one it is a label.
    const actionOnly = await act(step.sessionId, 'hammer');
    expectError(actionOnly, 400, 'VALIDATION_FAILED');
    expect(actionOnly.body.details).toEqual({ currentStepIndex: 0 });
    expectError(await h.post('/craft/session/retry', { sessionId: step.sessionId }), 409, 'RETRY_NOT_AVAILABLE');
    const stepped = await ok(h, '/craft/session/advance', { sessionId: step.sessionId, stepCode: 'work', action: 'hammer' });
    expect({ status: stepped.status, turn: stepped.turn, rules: stepped.rules }).toEqual({ status: 'completed', turn: undefined, rules: undefined });
    expect(await contents(gs, c)).toEqual({ iron_sword: 1 });

    // A ruleset session: no action (nor a step code instead) is 400, listing the actions.
    const ruled = await started(ids.sword!, await crafter(gs));
    const bare = await h.post('/craft/session/advance', { sessionId: ruled.sessionId });
    expectError(bare, 400, 'VALIDATION_FAILED');
    expect(bare.body.details.actions).toEqual(['hammer', 'stoke', 'polish']);
    expectError(await h.post('/craft/session/advance', { sessionId: ruled.sessionId, stepCode: 'work' }), 400, 'VALIDATION_FAILED');
    expect((await sessionOf(ruled.sessionId)).rules.turn).toBe(0);
  });

  it('anUnknownAction_isActionNotFound_anUnusableOneActionNotAvailable_andNeitherChangesTheSession', async () => {
    const { gs, ids } = await game();
    const c = await crafter(gs);
    const { sessionId } = await started(ids.sword!, c);

    const atStart = await sessionOf(sessionId);
    const unknown = await act(sessionId, 'smelt');
    expectError(unknown, 400, 'ACTION_NOT_FOUND');
    expect(unknown.body.details).toMatchObject({ action: 'smelt', actions: ['hammer', 'stoke', 'polish'] });
    // polish requires progress >= 50 (it is 0).
    const early = await act(sessionId, 'polish');
    expectError(early, 409, 'ACTION_NOT_AVAILABLE');
    expect(early.body.details.reason).toBe('its requirement is not met');
    expect(await sessionOf(sessionId)).toEqual(atStart);

    // Two hammers spend both heat: a third costs more than there is.
    expect((await play(sessionId, 'hammer', 'hammer')).rules.pools).toEqual({ progress: 80, heat: 0 });
    const spent = await sessionOf(sessionId);
    const cold = await act(sessionId, 'hammer');
    expectError(cold, 409, 'ACTION_NOT_AVAILABLE');
    expect(cold.body.details.reason).toBe('not enough heat (0 of 1)');
    expect(await sessionOf(sessionId)).toEqual(spent);
    expect(spent.rules).toMatchObject({ turn: 2, pools: { progress: 80, heat: 0 } });

    // The session still completes as the ruleset says: 80 + 20 = 100, 2 ingots consumed, 1 sword created.
    expect((await play(sessionId, 'polish')).status).toBe('completed');
    expect(await contents(gs, c)).toEqual({ iron_sword: 1 });
    expect(await auditItems(h, gs)).toMatchObject({ iron_ingot: { live: 0, consumed: 2 }, iron_sword: { live: 1, crafted: 1 } });
  });
});
