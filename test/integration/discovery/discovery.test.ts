import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditItems, expectConserved } from '../../helpers/audit.js';
import { streamEvents } from '../../helpers/events.js';
import { startHarness, type Harness } from '../../helpers/harness.js';
import { expectError, forgeWorld, newCrafter, ok, round4, startBody, swordMaterials, type World } from '../../helpers/world.js';

let h: Harness;
beforeAll(async () => {
  // CRAFT_DISCOVERY_MATERIAL_CONSUMPTION_RATE keeps its default, 0.5.
  // Recovery is driven by hand here. The stubs' fault counters are per process, so a
  // background pass retrying another file's leftovers would shift an "every 2nd call" rule.
  h = await startHarness({ CRAFT_RECOVERY_INTERVAL_MS: '600000' });
});
afterAll(() => h.close());

/** The seed's sword, to be discovered by combining an ingot and a strip (at a forge). */
const DISCOVERABLE_SWORD = { recipe: { isDefaultKnown: false, isDiscoverable: true, discoveryHints: ['leather_strip+iron_ingot'] } };

function attemptBody(w: World, materialItemIds: string[], extra: Record<string, unknown> = {}) {
  return { entityId: w.entityId, entityType: w.entityType, gameServiceId: w.gs, inventoryId: w.inventoryId, materialItemIds, ...extra };
}

const who = (w: World) => ({ entityId: w.entityId, entityType: w.entityType, gameServiceId: w.gs });
const sum = (items: { quantity: number }[]) => round4(items.reduce((s, i) => s + i.quantity, 0));

async function known(w: World): Promise<Record<string, any>> {
  const res = await ok(h, '/craft/discovery/list-known', who(w));
  return Object.fromEntries((res.recipes as any[]).map((r) => [r.recipeCode, r]));
}

async function template(w: World, code: string, category = 'reagent') {
  await ok(h, '/dev/item/template/create', { gameServiceId: w.gs, code, category });
}

async function seed(w: World, recipes: Record<string, unknown>[]) {
  const res = await ok(h, '/craft/recipe/seed', { gameServiceId: w.gs, recipes });
  return Object.fromEntries((res.created as any[]).map((c) => [c.code, c.recipeId as string]));
}

/** A one-step production recipe of the forge world. */
function simple(code: string, extra: Record<string, unknown> = {}) {
  return {
    code,
    recipeType: 'production',
    domain: 'blacksmithing',
    inputs: [{ itemTemplateCode: 'iron_ingot', quantity: 1 }],
    steps: [{ code: 'work', name: 'Work', stationType: 'forge' }],
    outputs: [{ itemTemplateCode: 'iron_sword', quantity: 1, qualityInfluence: 0.5 }],
    ...extra,
  };
}

describe('discovery/attempt', () => {
  it('attempt_matchingCombinationAtForge_discoversRecipeConsumesHalfAndSessionCanStart', async () => {
    const w = await forgeWorld(h, DISCOVERABLE_SWORD);
    const ingots = await w.grant('iron_ingot', 2, 0.65);
    const strip = await w.grant('leather_strip', 1, 0.65);
    // Not known yet: a session cannot start.
    await swordMaterials(w);
    expectError(await h.post('/craft/session/start', startBody(w)), 400, 'RECIPE_NOT_KNOWN');

    const res = await ok(h, '/craft/discovery/attempt', attemptBody(w, [ingots, strip], { stationId: w.stationId }));
    expect(res).toMatchObject({ discovered: true, recipeId: w.recipeId, recipeCode: 'forge_iron_sword', hintProgression: null });
    // 3 units offered, round(3 x 0.5) = 2 consumed, taken from the offered instances only.
    expect(sum(res.consumedMaterials)).toBe(2);
    for (const c of res.consumedMaterials) expect([ingots, strip]).toContain(c.instanceId);
    const contents = await w.contents();
    expect(round4((contents.iron_ingot ?? 0) + (contents.leather_strip ?? 0))).toBe(3 + 1 + 3 - 2);
    const audit = await auditItems(h, w.gs);
    expect(round4((audit.iron_ingot?.consumed ?? 0) + (audit.leather_strip?.consumed ?? 0))).toBe(2);
    expectConserved(audit, { iron_ingot: 5, leather_strip: 2, hammer: 1 });

    expect((await known(w)).forge_iron_sword).toMatchObject({ source: 'discovered', recipeId: w.recipeId });
    const events = await streamEvents(h.runtime, `${h.config.eventSubjectPrefix}.recipe.discovered`, (p) => p.entityId === w.entityId);
    expect(events.map((e) => e.payload)).toEqual([
      expect.objectContaining({ eventName: 'craft.recipe.discovered', recipeId: w.recipeId, recipeCode: 'forge_iron_sword', source: 'discovered', gameServiceId: w.gs }),
    ]);
    // Now it is known: the session starts.
    const started = await h.post('/craft/session/start', startBody(w));
    expect(started.status, JSON.stringify(started.body)).toBe(200);

    // The same combination again finds nothing left to discover (and still costs materials).
    const again = await ok(h, '/craft/discovery/attempt', attemptBody(w, Object.keys(await idsByCode(w)).slice(0, 1)));
    expect(again).toMatchObject({ discovered: false, recipeId: null, recipeCode: null, hintProgression: null });
  });

  it('attempt_noMatch_returnsHintProgressionAndStillConsumes', async () => {
    const w = await forgeWorld(h, DISCOVERABLE_SWORD);
    const ingots = await w.grant('iron_ingot', 4, 0.65);
    const res = await ok(h, '/craft/discovery/attempt', attemptBody(w, [ingots], { stationType: 'forge' }));
    // {iron_ingot} vs {iron_ingot, leather_strip}: 1 / 2.
    expect(res).toMatchObject({ discovered: false, recipeId: null, recipeCode: null, hintProgression: 0.5 });
    expect(res.consumedMaterials).toEqual([{ instanceId: ingots, itemTemplateCode: 'iron_ingot', quantity: 2 }]);
    expect(await w.contents()).toEqual({ iron_ingot: 2 });
    const audit = await auditItems(h, w.gs);
    expect(audit.iron_ingot).toMatchObject({ live: 2, consumed: 2 });
    expectConserved(audit, { iron_ingot: 4 });

    const row = await h.runtime.internals.prisma.discoveryAttempt.findFirstOrThrow({ where: { entityId: w.entityId } });
    expect(row).toMatchObject({ success: false, recipeId: null, hintProgression: 0.5, stationType: 'forge' });
    expect(JSON.parse(row.materialCodes)).toMatchObject({ status: 'done', codes: ['iron_ingot'], skipped: [] });
    expect((await known(w)).forge_iron_sword).toBeUndefined();
  });

  it('attempt_atWrongStationType_recipeIsNotEligible', async () => {
    const w = await forgeWorld(h, DISCOVERABLE_SWORD);
    const ingot = await w.grant('iron_ingot', 1);
    const strip = await w.grant('leather_strip', 1);
    const res = await ok(h, '/craft/discovery/attempt', attemptBody(w, [ingot, strip], { stationType: 'alchemy_table' }));
    expect(res).toMatchObject({ discovered: false, hintProgression: null });
    expect(sum(res.consumedMaterials)).toBe(1);
    expectConserved(await auditItems(h, w.gs), { iron_ingot: 1, leather_strip: 1 });
  });

  it('attempt_invalidRequests_clearErrorsAndNothingMoves', async () => {
    const w = await forgeWorld(h, DISCOVERABLE_SWORD);
    const ingot = await w.grant('iron_ingot', 2);
    const stranger = await newCrafter(h, w.gs);
    const theirs = await w.grant('leather_strip', 1, undefined, stranger.inventoryId);

    expectError(await h.post('/craft/discovery/attempt', attemptBody(w, [ingot], { inventoryId: stranger.inventoryId })), 404, 'INVENTORY_NOT_FOUND');
    expectError(await h.post('/craft/discovery/attempt', attemptBody(w, [ingot, theirs])), 400, 'MATERIAL_NOT_IN_INVENTORY');
    expectError(await h.post('/craft/discovery/attempt', attemptBody(w, [randomUUID()])), 400, 'MATERIAL_NOT_IN_INVENTORY');
    expectError(await h.post('/craft/discovery/attempt', attemptBody(w, [ingot], { gameServiceId: randomUUID() })), 400, 'GAME_SERVICE_NOT_FOUND');
    expectError(await h.post('/craft/discovery/attempt', attemptBody(w, [ingot], { stationId: randomUUID() })), 404, 'STATION_NOT_FOUND');
    expectError(await h.post('/craft/discovery/attempt', attemptBody(w, [ingot], { stationId: w.stationId, stationType: 'loom' })), 400, 'STATION_NOT_AVAILABLE');
    await ok(h, '/craft/station/deregister', { stationId: w.stationId });
    expectError(await h.post('/craft/discovery/attempt', attemptBody(w, [ingot], { stationId: w.stationId })), 400, 'STATION_NOT_AVAILABLE');
    expectError(await h.post('/craft/discovery/attempt', attemptBody(w, [])), 400, 'VALIDATION_FAILED');

    expect(await w.contents()).toEqual({ iron_ingot: 2 });
    expect(await h.runtime.internals.prisma.discoveryAttempt.count({ where: { entityId: w.entityId } })).toBe(0);
  });

  it('attempt_parallelAttemptsOfferingTheSameStack_neverTakeMoreThanIsThere', async () => {
    const w = await forgeWorld(h, DISCOVERABLE_SWORD);
    const ingots = await w.grant('iron_ingot', 4);
    const results = await Promise.all(Array.from({ length: 8 }, () => h.post('/craft/discovery/attempt', attemptBody(w, [ingots]))));
    for (const r of results) expect(r.status, JSON.stringify(r.body)).toBe(200);
    const reported = round4(results.reduce((s, r) => s + sum(r.body.consumedMaterials), 0));
    const audit = await auditItems(h, w.gs);
    // Each plans 2 of the 4: at most two get them, the others find the stack gone or short.
    expect(audit.iron_ingot!.consumed).toBe(reported);
    expect(reported).toBeLessThanOrEqual(4);
    expect(audit.iron_ingot!.live).toBe(4 - reported);
    expectConserved(audit, { iron_ingot: 4 });
  });
});

describe('discovery consumption survives failures', () => {
  it('attempt_itemServiceFailsAfterFirstConsumption_recoveryConsumesExactlyThePlan', async () => {
    const w = await forgeWorld(h, DISCOVERABLE_SWORD);
    const a = await w.grant('iron_ingot', 1);
    const b = await w.grant('iron_ingot', 1);
    const c = await w.grant('leather_strip', 1);
    const d = await w.grant('leather_strip', 1);
    // The first destroy is committed but its answer is lost: the attempt stops midway.
    h.runtime.internals.faults.arm('item.destroyInstance', { times: 1, phase: 'after' });
    const res = await ok(h, '/craft/discovery/attempt', attemptBody(w, [a, b, c, d], { stationId: w.stationId }));
    h.runtime.internals.faults.disarm();
    expect(res.discovered).toBe(true);
    expect(sum(res.consumedMaterials)).toBe(2);
    const row = () => h.runtime.internals.prisma.discoveryAttempt.findFirstOrThrow({ where: { entityId: w.entityId } });
    expect(JSON.parse((await row()).materialCodes).status).toBe('pending');
    expect(round4(Object.values(await w.contents()).reduce((s, q) => s + q, 0))).toBe(3);

    const recovered = await h.runtime.services.discovery.recoverPending({ olderThan: new Date(Date.now() + 60_000) });
    expect(recovered.recovered).toBeGreaterThanOrEqual(1);
    expect(JSON.parse((await row()).materialCodes).status).toBe('done');
    // A second pass finds nothing to do.
    await h.runtime.services.discovery.recoverPending({ olderThan: new Date(Date.now() + 60_000) });
    const audit = await auditItems(h, w.gs);
    expect(round4(audit.iron_ingot!.consumed + audit.leather_strip!.consumed)).toBe(2);
    expect(round4(audit.iron_ingot!.live + audit.leather_strip!.live)).toBe(2);
    expectConserved(audit, { iron_ingot: 2, leather_strip: 2 });
    // The reported plan is what was consumed.
    const destroyed = await h.runtime.internals.prisma.stubItemInstance.findMany({ where: { gameServiceId: w.gs, destroyReason: 'Consumed' } });
    expect(round4(destroyed.reduce((s, i) => s + Number(i.quantity), 0))).toBe(2);
  });

  it('attempt_transferFailsBeforeMoving_recoveryFinishesTheSamePlan', async () => {
    const w = await forgeWorld(h, DISCOVERABLE_SWORD);
    const offered = [await w.grant('iron_ingot', 1), await w.grant('iron_ingot', 1), await w.grant('leather_strip', 1), await w.grant('leather_strip', 1)];
    // The second move of the plan fails before doing anything.
    h.runtime.internals.faults.arm('inventory.transfer', { every: 2, phase: 'before' });
    const res = await ok(h, '/craft/discovery/attempt', attemptBody(w, offered, { stationId: w.stationId }));
    h.runtime.internals.faults.disarm();
    expect(res.consumedMaterials).toHaveLength(2);
    expect(round4(Object.values(await w.contents()).reduce((s, q) => s + q, 0))).toBe(3);
    await h.runtime.services.discovery.recoverPending({ olderThan: new Date(Date.now() + 60_000) });
    const audit = await auditItems(h, w.gs);
    const planned: Record<string, number> = {};
    for (const m of res.consumedMaterials as any[]) planned[m.itemTemplateCode] = (planned[m.itemTemplateCode] ?? 0) + m.quantity;
    expect(audit.iron_ingot!.consumed).toBe(planned.iron_ingot ?? 0);
    expect(audit.leather_strip!.consumed).toBe(planned.leather_strip ?? 0);
    expectConserved(audit, { iron_ingot: 2, leather_strip: 2 });
    // The consumed instances are exactly the planned ones.
    const left = await idsByCode(w);
    for (const m of res.consumedMaterials as any[]) expect(left[m.instanceId]).toBeUndefined();
  });
});

describe('prerequisites', () => {
  it('prerequisites_gateDiscovery_andLearningUnlocksDependentsTransitively', async () => {
    const w = await forgeWorld(h); // forge_iron_sword is default-known here
    await template(w, 'fire_salt');
    const ids = await seed(w, [
      simple('basic_smelting'),
      simple('fire_sword', { isDiscoverable: true, discoveryHints: ['iron_ingot+fire_salt'], prerequisiteRecipeCodes: ['basic_smelting'] }),
      simple('fire_dagger', { prerequisiteRecipeCodes: ['fire_sword'] }),
      simple('inferno_blade', { prerequisiteRecipeCodes: ['fire_dagger', 'forge_iron_sword'] }),
      simple('ice_blade', { prerequisiteRecipeCodes: ['fire_dagger', 'frost_basics'] }),
    ]);
    const combo = async () => [await w.grant('iron_ingot', 1), await w.grant('fire_salt', 1)];

    // basic_smelting unknown: fire_sword cannot be discovered, nothing is close either.
    const blocked = await ok(h, '/craft/discovery/attempt', attemptBody(w, await combo(), { stationType: 'forge' }));
    expect(blocked).toMatchObject({ discovered: false, hintProgression: null });

    expect(await ok(h, '/craft/discovery/teach', { ...who(w), recipeId: ids.basic_smelting })).toEqual({
      recipeId: ids.basic_smelting,
      alreadyKnown: false,
    });
    const found = await ok(h, '/craft/discovery/attempt', attemptBody(w, await combo(), { stationType: 'forge' }));
    expect(found).toMatchObject({ discovered: true, recipeCode: 'fire_sword' });

    const list = await known(w);
    expect(Object.fromEntries(Object.entries(list).map(([code, r]) => [code, r.source]))).toEqual({
      basic_smelting: 'taught',
      fire_sword: 'discovered',
      fire_dagger: 'prerequisite',
      inferno_blade: 'prerequisite',
      forge_iron_sword: 'default',
    });
    const events = await streamEvents(h.runtime, `${h.config.eventSubjectPrefix}.recipe.discovered`, (p) => p.entityId === w.entityId);
    expect(events.map((e) => [e.payload.recipeCode, e.payload.source]).sort()).toEqual([
      ['basic_smelting', 'taught'],
      ['fire_dagger', 'prerequisite'],
      ['fire_sword', 'discovered'],
      ['inferno_blade', 'prerequisite'],
    ]);
    expectConserved(await auditItems(h, w.gs), { iron_ingot: 2, fire_salt: 2 });
  });
});

describe('discovery/teach', () => {
  it('teach_twice_secondIsAlreadyKnownAndPublishesNothing', async () => {
    const w = await forgeWorld(h, DISCOVERABLE_SWORD);
    const body = { ...who(w), recipeId: w.recipeId };
    expect(await ok(h, '/craft/discovery/teach', body)).toEqual({ recipeId: w.recipeId, alreadyKnown: false });
    expect(await ok(h, '/craft/discovery/teach', body)).toEqual({ recipeId: w.recipeId, alreadyKnown: true });
    const parallel = await Promise.all(Array.from({ length: 5 }, () => ok(h, '/craft/discovery/teach', body)));
    expect(parallel.every((r) => r.alreadyKnown)).toBe(true);
    expect((await known(w)).forge_iron_sword.source).toBe('taught');
    const events = await streamEvents(h.runtime, `${h.config.eventSubjectPrefix}.recipe.discovered`, (p) => p.entityId === w.entityId);
    expect(events.map((e) => e.payload.source)).toEqual(['taught']);
  });

  it('teach_parallelFirstTeaching_exactlyOneLearns', async () => {
    const w = await forgeWorld(h, DISCOVERABLE_SWORD);
    const body = { ...who(w), recipeId: w.recipeId };
    const results = await Promise.all(Array.from({ length: 8 }, () => ok(h, '/craft/discovery/teach', body)));
    expect(results.filter((r) => !r.alreadyKnown)).toHaveLength(1);
    expect(await h.runtime.internals.prisma.knownRecipe.count({ where: { entityId: w.entityId } })).toBe(1);
  });

  it('teach_defaultKnownOtherGameServiceOrDeprecated', async () => {
    const w = await forgeWorld(h); // default-known sword
    expect(await ok(h, '/craft/discovery/teach', { ...who(w), recipeId: w.recipeId })).toEqual({ recipeId: w.recipeId, alreadyKnown: true });
    expect(await h.runtime.internals.prisma.knownRecipe.count({ where: { entityId: w.entityId } })).toBe(0);

    const other = await forgeWorld(h, DISCOVERABLE_SWORD);
    expectError(await h.post('/craft/discovery/teach', { ...who(w), recipeId: other.recipeId }), 404, 'RECIPE_NOT_FOUND');
    expectError(await h.post('/craft/discovery/teach', { ...who(w), recipeId: randomUUID() }), 404, 'RECIPE_NOT_FOUND');
    await ok(h, '/craft/recipe/deprecate', { recipeId: other.recipeId, reason: 'retired' });
    expectError(await h.post('/craft/discovery/teach', { ...who(other), recipeId: other.recipeId }), 400, 'RECIPE_DEPRECATED');
  });
});

describe('discovery/list-known', () => {
  it('listKnown_canCraftNowFollowsTheSessionChecks', async () => {
    const w = await forgeWorld(h); // default-known sword, level 7, a forge
    const extra = await seed(w, [simple('hidden_technique'), simple('old_trick')]);
    await ok(h, '/craft/discovery/teach', { ...who(w), recipeId: extra.old_trick });
    await ok(h, '/craft/recipe/deprecate', { recipeId: extra.old_trick });

    // No materials yet.
    let list = await ok(h, '/craft/discovery/list-known', who(w));
    expect(list.recipes).toEqual([
      { recipeCode: 'forge_iron_sword', recipeId: w.recipeId, domain: 'blacksmithing', recipeType: 'production', source: 'default', canCraftNow: false },
    ]);
    await swordMaterials(w);
    list = await ok(h, '/craft/discovery/list-known', who(w));
    expect(list.recipes.map((r: any) => [r.recipeCode, r.canCraftNow])).toEqual([['forge_iron_sword', true]]);

    // Another entity knows nothing but the default recipe, and has no inventory at all.
    const stranger = { entityId: randomUUID(), entityType: 'npc', gameServiceId: w.gs };
    const theirs = await ok(h, '/craft/discovery/list-known', stranger);
    expect(theirs.recipes.map((r: any) => [r.recipeCode, r.canCraftNow])).toEqual([['forge_iron_sword', false]]);
  });
});

/** Instance ids of the crafter's inventory by id -> template code. */
async function idsByCode(w: World) {
  const res = await ok(h, '/dev/inventory/get', { containerId: w.inventoryId, gameServiceId: w.gs });
  return Object.fromEntries((res.items as any[]).filter((i) => i.itemTemplateCode !== 'hammer').map((i) => [i.instanceId, i.itemTemplateCode]));
}
