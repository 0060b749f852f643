// The stub server's authentication, the contract's prebound call to lib-craft, and the
// operator controls (latency, faults).
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WIRE } from '../../../src/clients/http/wire.js';
import { ADMIN_FAULTS_PATH, ADMIN_LATENCY_PATH } from '../../../src/stub-server/controls.js';
import { mintToken } from '../../helpers/tokens.js';
import { claimsOf, startFakeCraft, startServer, type FakeCraft, type ServerEnv } from './server-env.js';

const SECRET = 'stub-server-test-secret-0123456789';
const CRAFT_SECRET = 'craft-test-secret-0123456789';
const COMPLETE = '/craft/internal/complete-session';
const k = () => `k:${randomUUID()}`;

let craft: FakeCraft;
let s: ServerEnv;
let auth: Record<string, string>;

beforeAll(async () => {
  craft = await startFakeCraft();
  // The first base refuses connections (nothing listens there): the call moves on to the next.
  s = await startServer({ authJwtSecret: SECRET, craft: { baseUrls: ['http://127.0.0.1:9', craft.url], jwtSecret: CRAFT_SECRET } });
  auth = { authorization: `Bearer ${await mintToken({ secret: SECRET })}` };
});
afterAll(async () => {
  await s?.close();
  await craft?.close();
});

/** An Active contract whose only milestone calls COMPLETE with a fresh session id. */
async function activeContract() {
  const gs = randomUUID();
  const sessionId = randomUUID();
  const parties = [1, 2].map((i) => ({ entityId: randomUUID(), entityType: 'character', role: `r${i}` }));
  const post = async (path: string, body: object) => (await s.post(path, { ...body, idempotencyKey: k() }, auth)).body;
  const t = await post(WIRE.contract.createTemplate, {
    gameServiceId: gs,
    code: 'craft',
    minParties: 2,
    milestones: [{ code: 'only', name: 'Only', onComplete: { path: COMPLETE, body: { sessionId } } }],
  });
  const c = await post(WIRE.contract.createInstance, { templateId: t.templateId, gameServiceId: gs, parties });
  const ref = { contractId: c.contractId, gameServiceId: gs };
  await post(WIRE.contract.propose, ref);
  for (const p of parties) await post(WIRE.contract.consent, { ...ref, entityId: p.entityId, entityType: p.entityType });
  return { ref, sessionId, post };
}

describe('stub server: auth and controls', () => {
  it('auth_withASecret_everyRouteButTheProbesNeedsAValidBearer', async () => {
    const body = {};
    expect(await s.post(WIRE.gameService.list, body)).toMatchObject({ status: 401, body: { code: 'unauthorized' } });
    const wrong = `Bearer ${await mintToken({ secret: 'another-secret-entirely-0123' })}`;
    expect(await s.post(WIRE.gameService.list, body, { authorization: wrong })).toMatchObject({ status: 401, body: { code: 'unauthorized' } });
    const expired = `Bearer ${await mintToken({ secret: SECRET, expiresInSeconds: -10 })}`;
    expect((await s.post(WIRE.gameService.list, body, { authorization: expired })).status).toBe(401);
    expect((await s.post(WIRE.gameService.list, body, auth)).status).toBe(200);
    expect((await s.post(ADMIN_LATENCY_PATH, { ms: 0 })).status).toBe(401);
    // A caller's token (lib-craft's, a game server's) may call the services, not the controls.
    const service = { authorization: `Bearer ${await mintToken({ secret: SECRET, roles: ['service'] })}` };
    expect((await s.post(WIRE.gameService.list, body, service)).status).toBe(200);
    expect(await s.post(ADMIN_LATENCY_PATH, { ms: 0 }, service)).toMatchObject({ status: 403, body: { code: 'forbidden' } });
    expect((await s.post(ADMIN_LATENCY_PATH, { ms: 0 }, auth)).status).toBe(200);
    expect((await s.app.inject({ method: 'GET', url: '/livez' })).statusCode).toBe(200);
    const ready = await s.app.inject({ method: 'GET', url: '/readyz' });
    expect([ready.statusCode, ready.json()]).toEqual([200, { status: 'ready', checks: { database: 'up' } }]);
  });

  it('prebound_lastMilestone_callsLibCraftOnce_withAContractServiceTokenAndTheBody', async () => {
    const { ref, sessionId, post } = await activeContract();
    const done = await post(WIRE.contract.completeMilestone, { ...ref, milestoneCode: 'only' });
    expect(done.status).toBe('Fulfilled');
    await s.env.contract.whenIdle();
    await post(WIRE.contract.completeMilestone, { ...ref, milestoneCode: 'only' });
    await s.env.contract.whenIdle();
    const calls = craft.calls.filter((c) => c.body.sessionId === sessionId);
    expect(calls).toHaveLength(1);
    expect(calls[0]).toMatchObject({ path: COMPLETE, body: { sessionId } });
    expect(claimsOf(calls[0]!.authorization)).toMatchObject({ sub: 'contract-service', roles: ['contract-service'], gameServices: '*' });
  });

  it('prebound_whenLibCraftFails_theContractStaysFulfilled', async () => {
    const { ref, sessionId, post } = await activeContract();
    craft.status = 503;
    try {
      expect((await post(WIRE.contract.completeMilestone, { ...ref, milestoneCode: 'only' })).status).toBe('Fulfilled');
      await s.env.contract.whenIdle();
    } finally {
      craft.status = 200;
    }
    expect(craft.calls.filter((c) => c.body.sessionId === sessionId)).toHaveLength(1);
    expect((await s.post(WIRE.contract.getInstance, ref, auth)).body.status).toBe('Fulfilled');
  });

  it('latency_slowsTheMatchingRoutesOnly_untilTurnedOff', async () => {
    const timed = async (path: string) => {
      const started = Date.now();
      expect((await s.post(path, {}, auth)).status).toBe(200);
      return Date.now() - started;
    };
    expect((await s.post(ADMIN_LATENCY_PATH, { ms: 300, paths: [WIRE.gameService.list] }, auth)).status).toBe(200);
    try {
      expect(await timed(WIRE.gameService.list)).toBeGreaterThanOrEqual(290);
      expect(await timed(WIRE.analytics.list)).toBeLessThan(250);
      await s.post(ADMIN_LATENCY_PATH, { ms: 200 }, auth);
      expect(await timed(WIRE.analytics.list)).toBeGreaterThanOrEqual(190);
    } finally {
      await s.post(ADMIN_LATENCY_PATH, { ms: 0 }, auth);
    }
    expect(await timed(WIRE.gameService.list)).toBeLessThan(250);
    expect((await s.post(ADMIN_LATENCY_PATH, { ms: -1 }, auth)).status).toBe(400);
  });

  it('faults_armMakesACall503_disarmAndResetClearIt_afterPhaseCommitsTheEffect', async () => {
    const gs = randomUUID();
    const list = () => s.post(WIRE.item.listTemplates, { gameServiceId: gs }, auth);
    expect((await s.post(ADMIN_FAULTS_PATH, { op: 'item.listTemplates', times: 1 }, auth)).status).toBe(200);
    expect(await list()).toMatchObject({ status: 503, body: { code: 'unavailable' } });
    expect((await list()).status).toBe(200);
    await s.post(ADMIN_FAULTS_PATH, { op: 'item.listTemplates' }, auth);
    expect((await list()).status).toBe(503);
    await s.post(ADMIN_FAULTS_PATH, { disarm: 'item.listTemplates' }, auth);
    expect((await list()).status).toBe(200);

    // `after`: the effect is committed, the caller sees 503, a retry with the key replays.
    await s.post(ADMIN_FAULTS_PATH, { op: 'inventory.createContainer', phase: 'after', every: 1 }, auth);
    const create = { ownerId: randomUUID(), ownerType: 'character', containerType: 'inventory', gameServiceId: gs, idempotencyKey: k() };
    expect((await s.post(WIRE.inventory.createContainer, create, auth)).status).toBe(503);
    await s.post(ADMIN_FAULTS_PATH, { reset: true }, auth);
    const retried = await s.post(WIRE.inventory.createContainer, create, auth);
    expect(retried.status).toBe(200);
    const listed = await s.post(WIRE.inventory.listContainers, { ownerId: create.ownerId, ownerType: 'character', gameServiceId: gs }, auth);
    expect(listed.body.containers).toEqual([retried.body]);

    expect((await s.post(ADMIN_FAULTS_PATH, { op: 'nonsense' }, auth)).status).toBe(400);
    expect((await s.post(ADMIN_FAULTS_PATH, { op: 'item.getInstance', every: 0 }, auth)).status).toBe(400);
  });
});
