import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditItems, expectConserved } from '../../helpers/audit.js';
import { streamEvents } from '../../helpers/events.js';
import { startHarness, type Harness } from '../../helpers/harness.js';
import { expectError, forgeWorld, ok, startBody, swordMaterials, type World } from '../../helpers/world.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h.close());

const GRANTED = { iron_ingot: 3, leather_strip: 1, hammer: 1 };
const ZERO = { sessionsCancelled: 0, recipesDeleted: 0, stationsRemoved: 0, proficienciesDeleted: 0, knownRecipesDeleted: 0 };
const db = () => h.runtime.internals.prisma;

/** A forge world whose crafter runs a session (materials in escrow) and has learned one extra recipe. */
async function busyWorld(stationId?: (w: World) => Promise<string>) {
  const w = await forgeWorld(h);
  await swordMaterials(w);
  const seeded = await ok(h, '/craft/recipe/seed', {
    gameServiceId: w.gs,
    recipes: [
      {
        code: 'polish_blade',
        recipeType: 'production',
        domain: 'blacksmithing',
        inputs: [{ itemTemplateCode: 'iron_ingot', quantity: 1 }],
        steps: [{ code: 'polish', name: 'Polish' }],
        outputs: [{ itemTemplateCode: 'iron_sword', quantity: 1, qualityInfluence: 0.5 }],
      },
    ],
  });
  await ok(h, '/craft/discovery/teach', { gameServiceId: w.gs, entityId: w.entityId, entityType: w.entityType, recipeId: seeded.created[0].recipeId });
  const station = stationId ? await stationId(w) : w.stationId;
  const { sessionId } = await ok(h, '/craft/session/start', startBody(w, { stationId: station }));
  expect(await w.contents()).toEqual({ hammer: 1 });
  return { w, sessionId, station };
}

describe('cleanup-by-game-service', () => {
  it('cleanup_endsLiveSessionsReturningMaterials_deletesEverything_secondCallZero', async () => {
    const { w, sessionId } = await busyWorld();
    const res = await ok(h, '/craft/cleanup-by-game-service', { gameServiceId: w.gs });
    expect(res).toEqual({ sessionsCancelled: 1, recipesDeleted: 2, stationsRemoved: 1, proficienciesDeleted: 1, knownRecipesDeleted: 1 });

    // Materials are back, nothing lost or duplicated.
    expect(await w.contents()).toEqual(GRANTED);
    expectConserved(await auditItems(h, w.gs), GRANTED);
    // Nothing of the game service is left (the recipe cache was invalidated too).
    expectError(await h.post('/craft/recipe/get', { recipeId: w.recipeId }), 404, 'RECIPE_NOT_FOUND');
    expectError(await h.post('/craft/session/get', { sessionId }), 404, 'SESSION_NOT_FOUND');
    const where = { gameServiceId: w.gs };
    expect(
      await Promise.all([
        db().recipe.count({ where }),
        db().recipeTag.count({ where }),
        db().knownRecipe.count({ where }),
        db().station.count({ where }),
        db().proficiency.count({ where }),
        db().craftSession.count({ where }),
        db().completedRecipe.count({ where }),
        db().discoveryAttempt.count({ where }),
      ]),
    ).toEqual([0, 0, 0, 0, 0, 0, 0, 0]);
    const deleted = await streamEvents(h.runtime, `${h.config.eventSubjectPrefix}.recipe.deleted`, (p) => p.gameServiceId === w.gs);
    expect(deleted.map((e) => [e.payload.code, e.payload.deletedReason]).sort()).toEqual([
      ['forge_iron_sword', 'game service deleted'],
      ['polish_blade', 'game service deleted'],
    ]);

    expect(await ok(h, '/craft/cleanup-by-game-service', { gameServiceId: w.gs })).toEqual(ZERO);
  });

  it('cleanup_leavesOtherGameServicesAlone', async () => {
    const { w: mine } = await busyWorld();
    const other = await forgeWorld(h);
    expect(await ok(h, '/craft/cleanup-by-game-service', { gameServiceId: other.gs })).toMatchObject({ sessionsCancelled: 0, recipesDeleted: 1 });
    expect((await ok(h, '/craft/session/list', { entityId: mine.entityId, entityType: mine.entityType })).items).toHaveLength(1);
    expect(await ok(h, '/craft/recipe/get', { recipeId: mine.recipeId })).toBeTruthy();
    expect(await ok(h, '/craft/cleanup-by-game-service', { gameServiceId: randomUUID() })).toEqual(ZERO);
  });

  it('cleanup_sessionCannotEndYet_503AndNothingDeleted_retrySucceeds', async () => {
    const { w } = await busyWorld();
    h.runtime.internals.faults.arm('inventory.transfer', { phase: 'before' });
    const res = await h.post('/craft/cleanup-by-game-service', { gameServiceId: w.gs });
    h.runtime.internals.faults.disarm();
    expectError(res, 503, 'DEPENDENCY_UNAVAILABLE');
    expect(await db().recipe.count({ where: { gameServiceId: w.gs } })).toBe(2);

    const retry = await ok(h, '/craft/cleanup-by-game-service', { gameServiceId: w.gs });
    expect(retry).toEqual({ sessionsCancelled: 1, recipesDeleted: 2, stationsRemoved: 1, proficienciesDeleted: 1, knownRecipesDeleted: 1 });
    expect(await w.contents()).toEqual(GRANTED);
    expectConserved(await auditItems(h, w.gs), GRANTED);
  });
});

describe('cleanup-by-entity', () => {
  it('cleanup_endsTheEntitysSessionAndDeletesItsData_recipesStay_secondCallZero', async () => {
    const { w, sessionId } = await busyWorld();
    // A pending discovery attempt of the entity is finished first.
    const ingot = await w.grant('iron_ingot', 2);
    h.runtime.internals.faults.arm('item.destroyInstance', { times: 1, phase: 'before' });
    await ok(h, '/craft/discovery/attempt', { entityId: w.entityId, entityType: w.entityType, gameServiceId: w.gs, inventoryId: w.inventoryId, materialItemIds: [ingot] });
    h.runtime.internals.faults.disarm();

    const body = { entityId: w.entityId, entityType: w.entityType };
    const res = await ok(h, '/craft/cleanup-by-entity', body);
    expect(res).toEqual({ sessionsCancelled: 1, recipesDeleted: 0, stationsRemoved: 0, proficienciesDeleted: 1, knownRecipesDeleted: 1 });
    expect(await w.contents()).toEqual({ ...GRANTED, iron_ingot: 4 });
    const audit = await auditItems(h, w.gs);
    expect(audit.iron_ingot!.consumed).toBe(1);
    expectConserved(audit, { ...GRANTED, iron_ingot: 5 });

    expectError(await h.post('/craft/session/get', { sessionId }), 404, 'SESSION_NOT_FOUND');
    const where = { entityId: w.entityId };
    expect(
      await Promise.all([
        db().knownRecipe.count({ where }),
        db().proficiency.count({ where }),
        db().craftSession.count({ where }),
        db().discoveryAttempt.count({ where }),
        db().craftEntityGuard.count({ where }),
      ]),
    ).toEqual([0, 0, 0, 0, 0]);
    // The game service's recipes and stations are untouched.
    expect(await db().recipe.count({ where: { gameServiceId: w.gs } })).toBe(2);
    expect(await ok(h, '/craft/station/get', { stationId: w.stationId })).toBeTruthy();

    expect(await ok(h, '/craft/cleanup-by-entity', body)).toEqual(ZERO);
  });

  it('cleanup_gameServiceFilter_onlyThatGameService_andOwnedStationsGo', async () => {
    const { w } = await busyWorld();
    const owned = await ok(h, '/craft/station/register', {
      gameServiceId: w.gs,
      stationType: 'anvil',
      quality: 0.5,
      ownerId: w.entityId,
      ownerType: w.entityType,
    });
    const body = { entityId: w.entityId, entityType: w.entityType };
    expect(await ok(h, '/craft/cleanup-by-entity', { ...body, gameServiceId: randomUUID() })).toEqual(ZERO);
    expect(await w.contents()).toEqual({ hammer: 1 });

    const res = await ok(h, '/craft/cleanup-by-entity', { ...body, gameServiceId: w.gs });
    expect(res).toEqual({ sessionsCancelled: 1, recipesDeleted: 0, stationsRemoved: 1, proficienciesDeleted: 1, knownRecipesDeleted: 1 });
    expectError(await h.post('/craft/station/get', { stationId: owned.stationId }), 404, 'STATION_NOT_FOUND');
    expect(await w.contents()).toEqual(GRANTED);
    expectConserved(await auditItems(h, w.gs), GRANTED);
    expect(await ok(h, '/craft/cleanup-by-entity', { ...body, gameServiceId: w.gs })).toEqual(ZERO);
  });
});

describe('cleanup-by-location', () => {
  it('cleanup_endsSessionsAtTheLocationsStationsAndDeletesThem_secondCallZero', async () => {
    const locationId = randomUUID();
    const { w, sessionId, station } = await busyWorld(async (world) => {
      const s = await ok(h, '/craft/station/register', { gameServiceId: world.gs, stationType: 'forge', quality: 0.8, locationId });
      return s.stationId as string;
    });
    const res = await ok(h, '/craft/cleanup-by-location', { locationId });
    expect(res).toEqual({ ...ZERO, sessionsCancelled: 1, stationsRemoved: 1 });
    expect(await w.contents()).toEqual(GRANTED);
    expectConserved(await auditItems(h, w.gs), GRANTED);
    expectError(await h.post('/craft/station/get', { stationId: station }), 404, 'STATION_NOT_FOUND');
    // The session ended with the reason; the forge without a location stays.
    const session = (await ok(h, '/craft/session/get', { sessionId })).session;
    expect(session.status).toBe('failed');
    expect(await ok(h, '/craft/station/get', { stationId: w.stationId })).toBeTruthy();

    expect(await ok(h, '/craft/cleanup-by-location', { locationId })).toEqual(ZERO);
  });
});
