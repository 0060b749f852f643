// lib-craft calling its neighbours over HTTP: the stub server's app behind a proxy that can
// make any route refuse, the contract's completion arriving over HTTP with a contract-service
// token. A neighbour's permanent refusal is a 4xx with the error body, never a 5xx.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createStubServices, type StubServices } from '../../../src/clients/stubs/index.js';
import { createPrisma, type PrismaClient } from '../../../src/infra/db/prisma.js';
import { buildStubApp } from '../../../src/stub-server/app.js';
import { createCraftCallback } from '../../../src/stub-server/craft-callback.js';
import { databaseUrlFor, startHarness, workerNames, type Harness } from '../../helpers/harness.js';
import { TEST_JWT_SECRET } from '../../helpers/tokens.js';
import { expectError, forgeWorld, ok, startBody, swordMaterials, type World } from '../../helpers/world.js';
import { inject } from 'vitest';

let h: Harness;
let prisma: PrismaClient;
let stubs: StubServices;
let stubApp: FastifyInstance;
let proxy: Server;
/** Path -> the refusal the proxy answers instead of the stub server. */
const refusals = new Map<string, { status: number; body: unknown }>();
const callbacks: string[] = [];
let skew = 0;

beforeAll(async () => {
  proxy = createServer((req, res) => {
    let text = '';
    req.on('data', (c) => (text += c));
    req.on('end', async () => {
      const refusal = refusals.get(req.url!);
      if (refusal) {
        res.writeHead(refusal.status, { 'content-type': 'application/json' });
        return res.end(JSON.stringify(refusal.body));
      }
      const answer = await stubApp.inject({ method: 'POST', url: req.url!, headers: { 'content-type': 'application/json', authorization: req.headers.authorization ?? '' }, payload: text });
      res.writeHead(answer.statusCode, { 'content-type': 'application/json' });
      res.end(answer.body);
    });
  });
  await new Promise<void>((r) => proxy.listen(0, '127.0.0.1', r));
  const neighbours = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
  h = await startHarness(
    { CRAFT_NEIGHBOURS_URL: neighbours, CRAFT_NEIGHBOUR_JWT_SECRET: TEST_JWT_SECRET, CRAFT_NEIGHBOUR_RETRIES: '1' },
    { clock: { now: () => new Date(Date.now() + skew) } },
  );
  const craftUrl = await h.app.listen({ port: 0, host: '127.0.0.1' });
  prisma = createPrisma(databaseUrlFor(inject('services').databaseUrl, workerNames().database), { connectionLimit: 10 });
  const callback = createCraftCallback({ baseUrls: [craftUrl], token: null, jwtSecret: TEST_JWT_SECRET, timeoutMs: 10_000 });
  stubs = createStubServices({
    prisma,
    contract: {
      invokePrebound: async (path, body) => {
        callbacks.push(String(body.sessionId));
        await callback(path, body);
      },
      publish: async () => undefined,
      terminatedSubject: 'unused.contract.terminated',
    },
  });
  stubApp = buildStubApp({ stubs, readiness: {}, authJwtSecret: TEST_JWT_SECRET }).app;
});

afterAll(async () => {
  await h?.close();
  await stubApp?.close();
  await prisma?.$disconnect();
  await new Promise((r) => proxy?.close(r));
});

beforeEach(() => refusals.clear());

const refuse = (path: string, status: number, code: string) => refusals.set(path, { status, body: { code, message: `${path} refused (${code})` } });

async function readyWorld(recipe: Record<string, unknown> = {}): Promise<World> {
  const w = await forgeWorld(h, { recipe });
  await swordMaterials(w);
  return w;
}

describe('neighbours over HTTP', () => {
  it('forgeIronSword_overHttp_sameQualityAsInProcess_contractCompletesItOverHttp', async () => {
    const w = await readyWorld();
    const { sessionId } = await ok(h, '/craft/session/start', startBody(w));
    const contract = await ok(h, '/craft/session/get', { sessionId });
    // A contract made by the real API's moves: two parties, both consented, Active.
    const row = await prisma.stubContract.findUniqueOrThrow({ where: { id: contract.session.contractId } });
    expect(row.status).toBe('Active');
    expect(row.templateId).not.toBeNull();
    skew += 20_000;
    await ok(h, '/craft/session/advance', { sessionId, stepCode: 'heat_metal', performance: 0.8 });
    await ok(h, '/craft/session/advance', { sessionId, stepCode: 'hammer_blade', performance: 0.8 });
    await ok(h, '/craft/session/advance', { sessionId, stepCode: 'quench' });
    const last = await ok(h, '/craft/session/advance', { sessionId, stepCode: 'attach_grip' });
    expect([last.status, last.finalQuality]).toEqual(['completed', 0.765]);
    expect(await w.contents()).toEqual({ hammer: 1, iron_sword: 1 });
    expect((await prisma.stubContract.findUniqueOrThrow({ where: { id: row.id } })).status).toBe('Fulfilled');
    // The fulfilled contract called complete-session over HTTP, once.
    expect(callbacks.filter((id) => id === sessionId)).toHaveLength(1);
  });

  it('holdRefusedForFunds_isA422_andNothingMoves', async () => {
    const w = await readyWorld({ currencyCosts: [{ currencyCode: 'gold', amount: 10 }] });
    await ok(h, '/dev/currency/credit', { gameServiceId: w.gs, ownerId: w.entityId, ownerType: w.entityType, currencyCode: 'gold', amount: 9 });
    const before = await w.contents();
    expectError(await h.post('/craft/session/start', startBody(w)), 422, 'INSUFFICIENT_FUNDS');
    expect(await w.contents()).toEqual(before);
  });

  it('permanentRefusals_atStart_are4xxWithTheErrorBody_andNothingMoves', async () => {
    const w = await readyWorld();
    const before = await w.contents();
    for (const [path, status, code] of [
      ['/inventory/transfer', 409, 'conflict'],
      ['/inventory/container/create', 400, 'invalid'],
      ['/contract/instance/consent', 409, 'conflict'],
      ['/contract/template/create', 400, 'invalid'],
    ] as const) {
      refusals.clear();
      refuse(path, status, code);
      const res = await h.post('/craft/session/start', startBody(w));
      expect(res.status, `${path}: ${JSON.stringify(res.body)}`).toBeGreaterThanOrEqual(400);
      expect(res.status, `${path}: ${JSON.stringify(res.body)}`).toBeLessThan(500);
      expect(typeof res.body.code === 'string' && typeof res.body.message === 'string', path).toBe(true);
      expect(await w.contents(), path).toEqual(before);
    }
    refusals.clear();
    // The same crafter starts fine once the neighbours agree again.
    await ok(h, '/craft/session/start', startBody(w));
  });

  it('permanentRefusals_elsewhere_are4xx_neverA5xx', async () => {
    const w = await readyWorld();
    const { sessionId } = await ok(h, '/craft/session/start', startBody(w));
    const probes: [string, number, string, string, unknown][] = [
      ['/item/template/get', 404, 'not_found', '/dev/item/grant', { containerId: w.inventoryId, gameServiceId: w.gs, itemTemplateCode: 'iron_ingot', quantity: 1 }],
      ['/item/instance/create', 409, 'conflict', '/dev/item/grant', { containerId: w.inventoryId, gameServiceId: w.gs, itemTemplateCode: 'iron_ingot', quantity: 1 }],
      ['/inventory/container/get', 404, 'not_found', '/dev/inventory/get', { containerId: w.inventoryId, gameServiceId: w.gs }],
      ['/currency/balance/credit', 409, 'conflict', '/dev/currency/credit', { gameServiceId: w.gs, ownerId: w.entityId, ownerType: w.entityType, currencyCode: 'gold', amount: 1 }],
      ['/inventory/has', 400, 'invalid', '/craft/query/can-craft', { recipeId: w.recipeId, entityId: w.entityId, entityType: w.entityType, inventoryId: w.inventoryId }],
      ['/item/instance/batch-get', 409, 'conflict', '/craft/session/get', { sessionId }],
      ['/inventory/transfer', 409, 'conflict', '/craft/session/cancel', { sessionId }],
    ];
    for (const [path, status, code, call, body] of probes) {
      refusals.clear();
      refuse(path, status, code);
      const res = await h.post(call, body);
      expect(res.status, `${call} with ${path} ${status}: ${JSON.stringify(res.body)}`).toBeLessThan(500);
      if (res.status >= 400) expect(typeof res.body.code, call).toBe('string');
    }
  });

  it('neighbourDown_is503DependencyUnavailable_withTheService', async () => {
    const w = await readyWorld();
    refuse('/inventory/transfer', 503, 'unavailable');
    const res = await h.post('/craft/session/start', startBody(w));
    expect({ status: res.status, code: res.body.code }).toEqual({ status: 503, code: 'DEPENDENCY_UNAVAILABLE' });
    refusals.clear();
    refuse('/item/template/get', 401, 'unauthorized');
    const denied = await h.post('/dev/item/grant', { containerId: w.inventoryId, gameServiceId: w.gs, itemTemplateCode: 'iron_ingot', quantity: 1 });
    // Our credentials refused: nothing the caller can fix, an honest 503 naming the service.
    expect({ status: denied.status, code: denied.body.code, service: denied.body.details?.service }).toEqual({ status: 503, code: 'DEPENDENCY_UNAVAILABLE', service: 'item' });
  });

  it('readiness_reportsEachHardNeighbour', async () => {
    const body = (await h.app.inject({ method: 'GET', url: '/readyz' })).json();
    for (const n of ['gameService', 'item', 'inventory', 'contract', 'currency']) expect(body[`neighbour:${n}`], n).toMatchObject({ status: 'up', breaker: 'closed' });
  });
});
