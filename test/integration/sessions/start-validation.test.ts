import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ClientError } from '../../../src/clients/errors.js';
import { startHarness, type Harness } from '../../helpers/harness.js';
import { expectError, forgeWorld, newCrafter, ok, startBody, swordMaterials, type World } from '../../helpers/world.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h.close());

/** Starts must leave the inventory, the wallet and the session table exactly as they were. */
async function expectNothingMoved(w: World, before: Record<string, number>) {
  expect(await w.contents()).toEqual(before);
  const live = await h.runtime.internals.prisma.craftSession.count({
    where: { entityId: w.entityId, status: { in: ['starting', 'active', 'completing', 'cancelling'] } },
  });
  expect(live).toBe(0);
}

async function readyWorld(opts: Parameters<typeof forgeWorld>[1] = {}) {
  const w = await forgeWorld(h, opts);
  await swordMaterials(w);
  return { w, before: await w.contents() };
}

describe('session/start validation', () => {
  it('start_unknownRecipe_returns404', async () => {
    const { w, before } = await readyWorld();
    expectError(await h.post('/craft/session/start', startBody(w, { recipeId: randomUUID() })), 404, 'RECIPE_NOT_FOUND');
    await expectNothingMoved(w, before);
  });

  it('start_deprecatedRecipe_returns400', async () => {
    const { w, before } = await readyWorld();
    await ok(h, '/craft/recipe/deprecate', { recipeId: w.recipeId });
    expectError(await h.post('/craft/session/start', startBody(w)), 400, 'RECIPE_DEPRECATED');
    await expectNothingMoved(w, before);
  });

  it('start_recipeNotKnown_returns400', async () => {
    const { w, before } = await readyWorld({ recipe: { isDefaultKnown: false } });
    expectError(await h.post('/craft/session/start', startBody(w)), 400, 'RECIPE_NOT_KNOWN');
    await expectNothingMoved(w, before);
  });

  it('start_proficiencyTooLow_returns400WithTheGap', async () => {
    const { w, before } = await readyWorld({ level: 2 });
    const res = await h.post('/craft/session/start', startBody(w));
    expectError(res, 400, 'PROFICIENCY_TOO_LOW');
    expect(res.body.details.unmet).toEqual([{ domain: 'blacksmithing', required: 3, current: 2 }]);
    await expectNothingMoved(w, before);
  });

  it('start_notEnoughMaterials_returns400WithShortfall', async () => {
    const w = await forgeWorld(h);
    await w.grant('iron_ingot', 2, 0.65);
    await w.grant('leather_strip', 1, 0.65);
    await w.grant('hammer', 1, 0.8);
    const before = await w.contents();
    const res = await h.post('/craft/session/start', startBody(w));
    expectError(res, 400, 'MATERIALS_INSUFFICIENT');
    expect(res.body.details.shortfalls).toEqual([{ itemTemplateCode: 'iron_ingot', required: 3, available: 2, qualityMinimum: null }]);
    await expectNothingMoved(w, before);
  });

  it('start_materialsBelowQualityMinimum_returns400', async () => {
    const w = await forgeWorld(h, {
      recipe: { inputs: [{ itemTemplateCode: 'iron_ingot', quantity: 3, qualityMinimum: 0.9 }, { itemTemplateCode: 'leather_strip', quantity: 1 }] },
    });
    await swordMaterials(w);
    const before = await w.contents();
    expectError(await h.post('/craft/session/start', startBody(w)), 400, 'MATERIALS_INSUFFICIENT');
    await expectNothingMoved(w, before);
  });

  it('start_namedMaterialNotInInventory_returns400', async () => {
    const { w, before } = await readyWorld();
    const res = await h.post('/craft/session/start', startBody(w, { materialItemIds: [randomUUID()] }));
    expectError(res, 400, 'MATERIAL_NOT_IN_INVENTORY');
    await expectNothingMoved(w, before);
  });

  it('start_someoneElsesInventory_returns404', async () => {
    const { w, before } = await readyWorld();
    const stranger = await newCrafter(h, w.gs);
    await ok(h, '/dev/item/grant', { containerId: stranger.inventoryId, gameServiceId: w.gs, itemTemplateCode: 'iron_ingot', quantity: 3 });
    // The crafter names the stranger's inventory: it is not theirs to spend.
    const res = await h.post('/craft/session/start', startBody(w, { inventoryId: stranger.inventoryId }));
    expectError(res, 404, 'INVENTORY_NOT_FOUND');
    await expectNothingMoved(w, before);
  });

  it('start_withoutStationWhenNeeded_returns400', async () => {
    const { w, before } = await readyWorld();
    expectError(await h.post('/craft/session/start', startBody(w, { stationId: undefined })), 400, 'STATION_NOT_AVAILABLE');
    await expectNothingMoved(w, before);
  });

  it('start_unknownStation_returns404', async () => {
    const { w, before } = await readyWorld();
    expectError(await h.post('/craft/session/start', startBody(w, { stationId: randomUUID() })), 404, 'STATION_NOT_FOUND');
    await expectNothingMoved(w, before);
  });

  it('start_deregisteredOrWrongTypeStation_returns400', async () => {
    const { w, before } = await readyWorld();
    const loom = await ok(h, '/craft/station/register', { gameServiceId: w.gs, stationType: 'loom', quality: 0.5 });
    expectError(await h.post('/craft/session/start', startBody(w, { stationId: loom.stationId })), 400, 'STATION_NOT_AVAILABLE');
    await ok(h, '/craft/station/deregister', { stationId: w.stationId });
    expectError(await h.post('/craft/session/start', startBody(w)), 400, 'STATION_NOT_AVAILABLE');
    await expectNothingMoved(w, before);
  });

  it('start_noToolOfTheCategory_returns400', async () => {
    const w = await forgeWorld(h);
    await w.grant('iron_ingot', 3, 0.65);
    await w.grant('leather_strip', 1, 0.65);
    const before = await w.contents();
    const res = await h.post('/craft/session/start', startBody(w));
    expectError(res, 400, 'TOOL_NOT_AVAILABLE');
    expect(res.body.details.category).toBe('hammer');
    await expectNothingMoved(w, before);
  });

  it('start_notEnoughCurrency_returns422', async () => {
    const { w, before } = await readyWorld({ recipe: { currencyCosts: [{ currencyCode: 'gold', amount: 10 }] } });
    await ok(h, '/dev/currency/credit', { gameServiceId: w.gs, ownerId: w.entityId, ownerType: w.entityType, currencyCode: 'gold', amount: 9 });
    expectError(await h.post('/craft/session/start', startBody(w)), 422, 'INSUFFICIENT_FUNDS');
    await expectNothingMoved(w, before);
    const wallet = await ok(h, '/dev/currency/wallet/get', { gameServiceId: w.gs, ownerId: w.entityId, ownerType: w.entityType });
    expect(wallet.wallet.balances).toEqual([expect.objectContaining({ currencyCode: 'gold', amount: 9, held: 0, available: 9 })]);
  });

  it('start_currencyCost_placesAHoldAndCompletionCapturesIt', async () => {
    const { w } = await readyWorld({
      recipe: { currencyCosts: [{ currencyCode: 'gold', amount: 10 }], steps: [{ code: 'a', name: 'A' }] },
    });
    await ok(h, '/dev/currency/credit', { gameServiceId: w.gs, ownerId: w.entityId, ownerType: w.entityType, currencyCode: 'gold', amount: 25 });
    const started = await ok(h, '/craft/session/start', startBody(w, { stationId: undefined }));
    expect(started.currencyHolds).toEqual([expect.objectContaining({ currencyCode: 'gold', amount: 10 })]);
    let wallet = await ok(h, '/dev/currency/wallet/get', { gameServiceId: w.gs, ownerId: w.entityId, ownerType: w.entityType });
    expect(wallet.wallet.balances[0]).toMatchObject({ amount: 25, held: 10, available: 15 });
    await ok(h, '/craft/session/advance', { sessionId: started.sessionId, stepCode: 'a' });
    wallet = await ok(h, '/dev/currency/wallet/get', { gameServiceId: w.gs, ownerId: w.entityId, ownerType: w.entityType });
    expect(wallet.wallet.balances[0]).toMatchObject({ amount: 15, held: 0, available: 15 });
  });

  it('start_beyondMaxActiveSessions_returns409ListingTheBlockingSessions', async () => {
    const w = await forgeWorld(h, { recipe: { steps: [{ code: 'a', name: 'A' }] } });
    await swordMaterials(w, 2);
    const first = await ok(h, '/craft/session/start', startBody(w, { stationId: undefined }));
    const before = await w.contents();
    const res = await h.post('/craft/session/start', startBody(w, { stationId: undefined }));
    expectError(res, 409, 'ACTIVE_SESSION_LIMIT_REACHED');
    expect(res.body.message).toBe('an entity may run at most 1 session at once');
    expect(res.body.details).toEqual({ limit: 1, activeSessionIds: [first.sessionId] });
    expect(await w.contents()).toEqual(before);
  });

  it('start_failedAndCancelledSessions_doNotCountTowardTheLimit', async () => {
    const w = await forgeWorld(h, { recipe: { steps: [{ code: 'a', name: 'A' }] } });
    await swordMaterials(w, 2);
    const first = await ok(h, '/craft/session/start', startBody(w, { stationId: undefined }));
    await ok(h, '/craft/session/cancel', { sessionId: first.sessionId });
    // A start that fails after its row exists (the contract refuses) ends `failed` and blocks nothing.
    h.runtime.internals.faults.arm('contract.createInstance', { every: 1, times: 1 });
    expect((await h.post('/craft/session/start', startBody(w, { stationId: undefined }))).status).toBe(503);
    expect(await h.runtime.internals.prisma.craftSession.count({ where: { entityId: w.entityId, status: 'failed' } })).toBe(1);
    await ok(h, '/craft/session/start', startBody(w, { stationId: undefined }));
  });

  it('start_participantWithBlankEntityType_returns400AndWritesNoSession', async () => {
    const { w, before } = await readyWorld();
    for (const entityType of [' ', '\t', ' \n ']) {
      const res = await h.post('/craft/session/start', startBody(w, { participants: [{ entityId: randomUUID(), entityType, role: 'striker' }] }));
      expectError(res, 400, 'VALIDATION_FAILED');
      expect(res.body.message).toMatch(/must not be blank/);
    }
    expect(await h.runtime.internals.prisma.craftSession.count({ where: { entityId: w.entityId } })).toBe(0);
    await expectNothingMoved(w, before);
  });

  it('start_contractServiceRefusesPermanently_answers422NotARetryable503_andEndsTheSessionFailed', async () => {
    const { w, before } = await readyWorld();
    const contract = h.runtime.internals.stubs.contract;
    const original = contract.createInstance.bind(contract);
    contract.createInstance = async () => {
      throw new ClientError('contract', 'invalid', 'party entityType must be a non-empty string');
    };
    try {
      const res = await h.post('/craft/session/start', startBody(w));
      expectError(res, 422, 'DEPENDENCY_REFUSED');
      expect(res.body.details).toEqual({ service: 'contract', reason: 'invalid' });
    } finally {
      contract.createInstance = original;
    }
    // The session is at rest (failed, everything given back), not left for recovery to retry forever.
    const rows = await h.runtime.internals.prisma.craftSession.findMany({ where: { entityId: w.entityId } });
    expect(rows.map((r) => [r.status, r.pendingEffects])).toEqual([['failed', false]]);
    await h.runtime.internals.recovery.runOnce();
    expect((await h.runtime.internals.prisma.craftSession.findFirstOrThrow({ where: { entityId: w.entityId } })).status).toBe('failed');
    await expectNothingMoved(w, before);
  });

  it('start_upperCasedOrUrnIds_actOnTheSameResources', async () => {
    const { w } = await readyWorld();
    const res = await ok(h, '/craft/session/start', {
      ...startBody(w),
      recipeId: w.recipeId.toUpperCase(),
      inventoryId: `urn:uuid:${w.inventoryId}`,
      stationId: `{${w.stationId.toUpperCase()}}`,
    });
    const session = (await ok(h, '/craft/session/get', { sessionId: res.sessionId.toUpperCase() })).session;
    expect([session.recipeId, session.inventoryId, session.stationId]).toEqual([w.recipeId, w.inventoryId, w.stationId]);
  });

  it('start_namedMaterials_areTheOnesReserved', async () => {
    const w = await forgeWorld(h, { recipe: { steps: [{ code: 'a', name: 'A' }] } });
    const poor = await w.grant('iron_ingot', 3, 0.2);
    await w.grant('iron_ingot', 3, 0.9);
    const strip = await w.grant('leather_strip', 1, 0.5);
    const started = await ok(h, '/craft/session/start', startBody(w, { stationId: undefined, materialItemIds: [poor, strip] }));
    expect(started.reservedMaterials.map((m: any) => m.quality).sort()).toEqual([0.2, 0.5]);
    expect(await w.contents()).toEqual({ iron_ingot: 3 });
  });

  it('start_unnamedMaterials_takesHighestQualityFirstAndSplitsStacks', async () => {
    const w = await forgeWorld(h, { recipe: { steps: [{ code: 'a', name: 'A' }] } });
    await w.grant('iron_ingot', 2, 0.3);
    await w.grant('iron_ingot', 2, 0.9);
    await w.grant('leather_strip', 5, 0.5);
    const started = await ok(h, '/craft/session/start', startBody(w, { stationId: undefined }));
    const iron = started.reservedMaterials.filter((m: any) => m.itemTemplateCode === 'iron_ingot');
    expect(iron.map((m: any) => [m.quality, m.quantity])).toEqual([[0.9, 2], [0.3, 1]]);
    expect(await w.contents()).toEqual({ iron_ingot: 1, leather_strip: 4 });
  });
});
