import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from '../../helpers/harness.js';
import { buildTenant, idsOf, snapshotOf, type Tenant } from '../../helpers/tenants.js';
import { bearer, mintToken } from '../../helpers/tokens.js';
import { expectError, ok } from '../../helpers/world.js';

/**
 * The seven ways across the boundary an outside test found (a token scoped to game service A,
 * B with recipes and templates of the same codes), each as it was reported. Each test ends
 * with B unchanged and none of B's ids or values in the answers.
 */
let h: Harness;
let a: Tenant;
let b: Tenant;
let bSecrets: string[];
let asA: Record<string, string>;
let bBefore: Record<string, unknown[]>;

async function post(path: string, body: unknown) {
  const res = await h.post(path, body, asA);
  const answer = JSON.stringify(res.body ?? '').toLowerCase();
  const sent = JSON.stringify(body).toLowerCase();
  const leaked = bSecrets.filter((s) => answer.includes(s.toLowerCase()) && !sent.includes(s.toLowerCase()));
  expect(leaked, `${path} leaked B's data: ${answer.slice(0, 300)}`).toEqual([]);
  return res;
}

beforeAll(async () => {
  h = await startHarness({ CRAFT_MAX_ACTIVE_SESSIONS_PER_ENTITY: '3' });
  [a, b] = await Promise.all([buildTenant(h, 'a', { quality: 0.65, coins: 100 }), buildTenant(h, 'b', { quality: 0.123457, coins: 4321.5 })]);
  bSecrets = [...(await idsOf(h, b)), ...b.distinct];
  asA = bearer(await mintToken({ sub: 'game-a', roles: ['admin'], gameServices: [a.gs] }));
}, 120_000);
afterAll(() => h?.close());

describe('the reproductions of the boundary report', () => {
  beforeAll(async () => {
    bBefore = await snapshotOf(h, b.gs);
  });

  it('1_startWithAsRecipe_BsCrafterAndInventory_inventoryNotFound_andNothingOfBMoves', async () => {
    // A may give B's crafter id a level in A (A's own data), so the start gets as far as the inventory.
    await post('/craft/proficiency/set', { gameServiceId: a.gs, entityId: b.entityId, entityType: 'character', domain: 'blacksmithing', targetValue: 490 });
    const res = await post('/craft/session/start', { recipeId: a.recipeId, entityId: b.entityId, entityType: 'character', inventoryId: b.inventoryId, stationId: a.stationId });
    expectError(res, 404, 'INVENTORY_NOT_FOUND');
    // Named materials, tool and target of B's, with A's own inventory: not A's items, so not there.
    const named = await post('/craft/session/start', {
      recipeId: a.recipeId,
      entityId: a.entityId,
      entityType: 'character',
      inventoryId: a.inventoryId,
      stationId: a.stationId,
      materialItemIds: [b.ingotsId, b.stripId],
    });
    expectError(named, 400, 'MATERIAL_NOT_IN_INVENTORY');
    expectError(await post('/craft/session/start', { recipeId: a.recipeId, entityId: a.entityId, entityType: 'character', inventoryId: a.inventoryId, stationId: b.stationId }), 404, 'STATION_NOT_FOUND');
  });

  it('2_cleanupByEntityWithoutGameService_leavesBsSessionStationAndKnownRecipes', async () => {
    const res = await post('/craft/cleanup-by-entity', { entityId: b.entityId, entityType: 'character' });
    expect(res.status).toBe(200);
    // Only what that entity id has in A (a level test 1 gave it) goes; B's session, station and known recipes stay.
    expect(res.body).toEqual({ sessionsCancelled: 0, recipesDeleted: 0, stationsRemoved: 0, proficienciesDeleted: 1, knownRecipesDeleted: 0 });
  });

  it('3_cleanupByLocation_BsLocation_leavesBsStation', async () => {
    const res = await post('/craft/cleanup-by-location', { locationId: b.locationId });
    expect(res.body).toMatchObject({ sessionsCancelled: 0, stationsRemoved: 0 });
  });

  it('4_stationList_unfilteredOrAtBsLocation_hasNoneOfBs', async () => {
    const all = await post('/craft/station/list', { pageSize: 100 });
    expect(all.body.stations.map((s: { gameServiceId: string }) => s.gameServiceId)).toEqual([a.gs]);
    const there = await post('/craft/station/list', { locationId: b.locationId });
    expect(there.body).toMatchObject({ stations: [], totalCount: 0 });
  });

  it('5_cleanDeprecated_byAnAdminScopedToA_deletesOnlyAsDeprecatedRecipes', async () => {
    const res = await post('/craft/recipe/clean-deprecated', { gracePeriodDays: 0 });
    expect(res.body).toMatchObject({ cleaned: 1, cleanedIds: [a.deprecatedRecipeId] });
    const named = await post('/craft/recipe/clean-deprecated', { gameServiceId: b.gs, gracePeriodDays: 0 });
    expect(named.body).toEqual({ cleaned: 0, remaining: 0, errors: 0, cleanedIds: [] });
  });

  it('6_readsAcrossTheBoundary_estimateCanCraftAndNpcVariables_seeNothingOfBs', async () => {
    const estimate = await post('/craft/query/estimate-quality', { recipeId: a.recipeId, entityId: a.entityId, entityType: 'character', materialItemIds: [b.ingotsId] });
    expectError(estimate, 404, 'ITEM_NOT_FOUND');
    const canCraft = await post('/craft/query/can-craft', { recipeId: a.recipeId, entityId: b.entityId, entityType: 'character', inventoryId: b.inventoryId });
    expectError(canCraft, 404, 'INVENTORY_NOT_FOUND');
    // Without an inventory named: B's entity has nothing in A (B's inventory is not read).
    const unnamed = await post('/craft/query/can-craft', { recipeId: a.recipeId, entityId: b.entityId, entityType: 'character' });
    expect(unnamed.body.breakdown).toMatchObject({ materialsAvailable: false, currencyAvailable: false, proficiencyMet: false });
    const variables = await post('/craft/query/npc-variables', {
      gameServiceId: a.gs,
      entityId: b.entityId,
      entityType: 'character',
      inventoryId: b.inventoryId,
      variables: ['materials_for.forge_iron_sword', 'proficiency.blacksmithing', 'queue_depth', 'last_craft_quality'],
    });
    expect(variables.body.values.map((v: { value: unknown; error?: { code: string } }) => [v.value, v.error?.code ?? null])).toEqual([
      [null, 'INVENTORY_NOT_FOUND'],
      [0, null],
      [0, null],
      [null, null],
    ]);
    // B's game service named outright answers as a game service that does not exist.
    const theirs = await post('/craft/query/npc-variables', { gameServiceId: b.gs, entityId: b.entityId, entityType: 'character', variables: ['proficiency.blacksmithing', 'queue_depth', 'can_craft.forge_iron_sword'] });
    expect(theirs.body.values.map((v: { value: unknown }) => v.value)).toEqual([0, 0, null]);
  });

  it('7_devEndpoints_scopedToo_gameServicesInventoriesWalletsAndContracts', async () => {
    const services = await post('/dev/game-service/list', {});
    expect(services.body.gameServices.map((g: { serviceId: string }) => g.serviceId)).toEqual([a.gs]);
    expectError(await post('/dev/inventory/get', { gameServiceId: b.gs, containerId: b.inventoryId }), 404, 'INVENTORY_NOT_FOUND');
    expectError(await post('/dev/inventory/get', { gameServiceId: a.gs, containerId: b.inventoryId }), 404, 'INVENTORY_NOT_FOUND');
    expectError(await post('/dev/currency/wallet/get', { gameServiceId: b.gs, ownerId: b.entityId, ownerType: 'character' }), 400, 'GAME_SERVICE_NOT_FOUND');
    // B's crafter's wallet in A is a wallet of A's: empty, not B's coins.
    const inA = await post('/dev/currency/wallet/get', { gameServiceId: a.gs, ownerId: b.entityId, ownerType: 'character' });
    expect(inA.body.wallet.balances).toEqual([]);
    expectError(await post('/dev/contract/terminate', { gameServiceId: b.gs, contractId: b.contractId }), 404, 'CONTRACT_NOT_FOUND');
    expectError(await post('/dev/contract/terminate', { gameServiceId: a.gs, contractId: b.contractId }), 404, 'CONTRACT_NOT_FOUND');
    expectError(await post('/dev/item/grant', { gameServiceId: a.gs, containerId: b.inventoryId, itemTemplateCode: 'iron_ingot', quantity: 100 }), 404, 'INVENTORY_NOT_FOUND');
    expectError(await post('/dev/game-service/register', { stubName: 'sneaky', displayName: 'Sneaky' }), 403, 'FORBIDDEN');
  });

  it('andAfterAllOfThem_BIsExactlyAsItWas', async () => {
    expect(await snapshotOf(h, b.gs)).toEqual(bBefore);
    const session = await ok(h, '/craft/session/get', { sessionId: b.sessionId });
    expect(session.session.status).toBe('active');
  });
});
