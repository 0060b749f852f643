import { randomUUID } from 'node:crypto';
import { Writable } from 'node:stream';
import Fastify, { type FastifyBaseLogger } from 'fastify';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerAuth } from '../../../src/http/auth.js';
import { registerErrorHandling } from '../../../src/http/error-handler.js';
import { ConfigError, loadConfig } from '../../../src/infra/config/config.js';
import { startHarness, type Harness } from '../../helpers/harness.js';
import { bearer, mintToken, TEST_JWT_SECRET } from '../../helpers/tokens.js';
import { tokenSource } from '../../../src/clients/http/token.js';
import { expectError, forgeWorld, ok, startBody, swordMaterials, type World } from '../../helpers/world.js';

let h: Harness;
let a: World;
let b: World;
let sessionB: string;

beforeAll(async () => {
  h = await startHarness();
  a = await forgeWorld(h);
  b = await forgeWorld(h);
  await swordMaterials(b);
  sessionB = (await ok(h, '/craft/session/start', startBody(b))).sessionId;
});
afterAll(() => h.close());

describe('authentication', () => {
  it('noToken_answers401WithErrorBody', async () => {
    const res = await h.post('/craft/recipe/get', { recipeId: a.recipeId }, { authorization: '' });
    expect(res.status).toBe(401);
    expect(res.body).toEqual({ code: 'UNAUTHORIZED', message: expect.any(String) });
  });

  it('expiredOrBadSignatureOrMalformed_answers401', async () => {
    const expired = await mintToken({ expiresInSeconds: -120 });
    const forged = await mintToken({ secret: 'another-secret-0123456789' });
    for (const authorization of [`Bearer ${expired}`, `Bearer ${forged}`, 'Bearer not.a.jwt', 'Basic dXNlcjpwYXNz']) {
      expectError(await h.post('/craft/recipe/get', { recipeId: a.recipeId }, { authorization }), 401, 'UNAUTHORIZED');
    }
  });

  it('aTokenLibCraftSignedForItsNeighbours_isRefusedHere_evenWithTheSameSecret', async () => {
    const outgoing = await tokenSource({ jwtSecret: TEST_JWT_SECRET })('item');
    const res = await h.post('/craft/recipe/get', { recipeId: a.recipeId }, bearer(outgoing!));
    expectError(res, 401, 'UNAUTHORIZED');
  });

  it('acceptedToken_isRejectedOnceItExpires_evenThoughVerificationsAreRemembered', async () => {
    const token = await mintToken({ expiresInSeconds: 2 });
    expect((await h.post('/craft/recipe/get', { recipeId: a.recipeId }, bearer(token))).status).toBe(200);
    expect((await h.post('/craft/recipe/get', { recipeId: a.recipeId }, bearer(token))).status).toBe(200);
    await new Promise((r) => setTimeout(r, 2100));
    expectError(await h.post('/craft/recipe/get', { recipeId: a.recipeId }, bearer(token)), 401, 'UNAUTHORIZED');
  });

  it('probesAndDocs_needNoToken', async () => {
    for (const url of ['/livez', '/openapi.json', '/metrics']) {
      expect((await h.app.inject({ method: 'GET', url })).statusCode, url).toBe(200);
    }
  });
});

describe('roles', () => {
  it('serviceToken_cannotSeedRecipes_403', async () => {
    const token = await mintToken({ sub: 'game-server', roles: ['service'] });
    const res = await h.post('/craft/recipe/seed', { gameServiceId: a.gs, recipes: [] }, bearer(token));
    expectError(res, 403, 'FORBIDDEN');
    // ...but may read.
    expect((await h.post('/craft/recipe/get', { recipeId: a.recipeId }, bearer(token))).status).toBe(200);
  });

  it('developerToken_mayDoServiceOperations_butNotAdminOnes', async () => {
    const token = await mintToken({ sub: 'dev', roles: ['developer'] });
    expect((await h.post('/craft/recipe/get', { recipeId: a.recipeId }, bearer(token))).status).toBe(200);
    expectError(await h.post('/craft/recipe/clean-deprecated', { gameServiceId: a.gs }, bearer(token)), 403, 'FORBIDDEN');
  });

  it('contractServiceToken_mayOnlyCompleteSessions', async () => {
    const token = await mintToken({ sub: 'contract-service', roles: ['contract-service'] });
    expectError(await h.post('/craft/recipe/get', { recipeId: a.recipeId }, bearer(token)), 403, 'FORBIDDEN');
    expectError(await h.post('/craft/session/get', { sessionId: sessionB }, bearer(token)), 403, 'FORBIDDEN');
    // Allowed through authorisation: an unknown session is the operation's own 404.
    const res = await h.post('/craft/internal/complete-session', { sessionId: randomUUID(), contractId: randomUUID() }, bearer(token));
    expectError(res, 404, 'SESSION_NOT_FOUND');
  });
});

describe('game-service scoping', () => {
  let scopedToA: Record<string, string>;
  beforeAll(async () => {
    scopedToA = bearer(await mintToken({ sub: 'game-a', roles: ['developer'], gameServices: [a.gs] }));
  });

  it('ownGameService_isVisible', async () => {
    expect((await h.post('/craft/recipe/get', { recipeId: a.recipeId }, scopedToA)).status).toBe(200);
    expect((await h.post('/craft/station/get', { stationId: a.stationId }, scopedToA)).status).toBe(200);
  });

  it('otherGameServicesRecipe_byIdAndByCode_404', async () => {
    expectError(await h.post('/craft/recipe/get', { recipeId: b.recipeId }, scopedToA), 404, 'RECIPE_NOT_FOUND');
    const recipe = (await ok(h, '/craft/recipe/get', { recipeId: b.recipeId })).recipe;
    expectError(await h.post('/craft/recipe/get', { gameServiceId: b.gs, code: recipe.code }, scopedToA), 404, 'RECIPE_NOT_FOUND');
  });

  it('otherGameServicesSessionAndStation_404', async () => {
    expectError(await h.post('/craft/session/get', { sessionId: sessionB }, scopedToA), 404, 'SESSION_NOT_FOUND');
    expectError(await h.post('/craft/station/get', { stationId: b.stationId }, scopedToA), 404, 'STATION_NOT_FOUND');
  });

  it('writesAndQueriesByIdOnOtherGameService_404_andChangeNothing', async () => {
    expectError(await h.post('/craft/recipe/deprecate', { recipeId: b.recipeId }, scopedToA), 404, 'RECIPE_NOT_FOUND');
    expectError(await h.post('/craft/session/cancel', { sessionId: sessionB }, scopedToA), 404, 'SESSION_NOT_FOUND');
    expectError(await h.post('/craft/station/deregister', { stationId: b.stationId }, scopedToA), 404, 'STATION_NOT_FOUND');
    const canCraft = { recipeId: b.recipeId, entityId: a.entityId, entityType: a.entityType };
    expectError(await h.post('/craft/query/can-craft', canCraft, scopedToA), 404, 'RECIPE_NOT_FOUND');
    // A's own recipe with B's station: the station is another game service's.
    expectError(await h.post('/craft/query/can-craft', { ...canCraft, recipeId: a.recipeId, stationId: b.stationId }, scopedToA), 404, 'STATION_NOT_FOUND');
    expect((await ok(h, '/craft/recipe/get', { recipeId: b.recipeId })).recipe.isDeprecated).toBe(false);
    expect((await ok(h, '/craft/session/get', { sessionId: sessionB })).session.status).not.toBe('cancelled');
    expect((await ok(h, '/craft/station/get', { stationId: b.stationId })).station.isActive).toBe(true);
  });

  it('lists_doNotShowOtherGameServicesItems', async () => {
    // Another game service's lists answer exactly as an unknown game service's: empty.
    for (const gs of [b.gs, randomUUID()]) {
      const recipes = await h.post('/craft/recipe/list', { gameServiceId: gs }, scopedToA);
      expect({ status: recipes.status, items: recipes.body.items, totalCount: recipes.body.totalCount }).toEqual({ status: 200, items: [], totalCount: 0 });
      const stations = await h.post('/craft/station/list', { gameServiceId: gs }, scopedToA);
      expect({ status: stations.status, stations: stations.body.stations }).toEqual({ status: 200, stations: [] });
    }
    const unfiltered = (await h.post('/craft/station/list', { pageSize: 100 }, scopedToA)).body;
    expect(unfiltered.stations.length).toBeGreaterThan(0);
    expect(unfiltered.stations.every((st: { gameServiceId: string }) => st.gameServiceId === a.gs)).toBe(true);
    const sessions = await h.post('/craft/session/list', { entityId: b.entityId, entityType: b.entityType }, scopedToA);
    expect(sessions.status).toBe(200);
    expect(sessions.body.items).toEqual([]);
    // The unscoped caller still sees B's session.
    const all = await ok(h, '/craft/session/list', { entityId: b.entityId, entityType: b.entityType });
    expect(all.items.map((s: { sessionId: string }) => s.sessionId)).toEqual([sessionB]);
  });
});

describe('configuration', () => {
  it('neitherSecretNorJwks_refusesToStart_unlessDisabled', () => {
    expect(() => loadConfig({})).toThrow(ConfigError);
    expect(() => loadConfig({})).toThrow(/CRAFT_AUTH_JWT_SECRET or CRAFT_AUTH_JWKS_URL/);
    expect(loadConfig({ CRAFT_AUTH_DISABLED: 'true', CRAFT_STANDALONE: 'true' }).auth).toEqual({ disabled: true });
    expect(loadConfig({ CRAFT_AUTH_JWKS_URL: 'https://issuer.example/.well-known/jwks.json', CRAFT_STANDALONE: 'true' }).auth).toMatchObject({
      disabled: false,
      jwksUrl: 'https://issuer.example/.well-known/jwks.json',
    });
  });

  it('authDisabled_servesWithoutToken_andWarnsAtStartup', async () => {
    const lines: string[] = [];
    const logger = pino({ level: 'warn' }, new Writable({ write: (c, _e, cb) => (lines.push(String(c)), cb()) }));
    const app = Fastify({ loggerInstance: logger as FastifyBaseLogger });
    registerErrorHandling(app);
    registerAuth(app, loadConfig({ CRAFT_AUTH_DISABLED: 'true', CRAFT_STANDALONE: 'true' }).auth);
    app.post('/op', { config: { permissions: ['admin'] } }, async (request) => ({ caller: request.caller }));
    const res = await app.inject({ method: 'POST', url: '/op', payload: {} });
    expect(res.statusCode).toBe(200);
    expect(res.json().caller).toMatchObject({ roles: ['admin'], gameServices: '*' });
    expect(lines.some((l) => JSON.parse(l).level === 40 && /authentication is DISABLED/.test(JSON.parse(l).msg))).toBe(true);
    await app.close();
  });

  it('tokenIsNeverLogged', async () => {
    const lines: string[] = [];
    const logger = pino({ level: 'trace' }, new Writable({ write: (c, _e, cb) => (lines.push(String(c)), cb()) }));
    const app = Fastify({ loggerInstance: logger as FastifyBaseLogger });
    registerErrorHandling(app);
    registerAuth(app, { disabled: false, jwtSecret: 'a-secret-for-this-test-only' });
    app.post('/op', { config: { permissions: ['service'] } }, async () => ({}));
    const token = await mintToken({ secret: 'wrong-secret-0123456789' });
    expect((await app.inject({ method: 'POST', url: '/op', payload: {}, headers: bearer(token) })).statusCode).toBe(401);
    expect(lines.join('\n')).not.toContain(token.split('.')[2]);
    await app.close();
  });
});
