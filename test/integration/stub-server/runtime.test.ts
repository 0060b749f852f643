// The stub server as main.ts wires it (config from env, Prisma, NATS), listening on a port:
// readiness, STUBS_FAULTS, the static callback token, and contract.terminated on JetStream.
import { randomUUID } from 'node:crypto';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { jetstreamManager, type JetStreamManager } from '@nats-io/jetstream';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it, inject } from 'vitest';
import { WIRE } from '../../../src/clients/http/wire.js';
import { migrate } from '../../../src/infra/db/migrate.js';
import { loadStubConfig } from '../../../src/stub-server/config.js';
import { createStubRuntime, type StubRuntime } from '../../../src/stub-server/runtime.js';
import { databaseUrlFor, workerNames } from '../../helpers/harness.js';
import { startFakeCraft, type FakeCraft } from './server-env.js';

const token = `stubsrv${process.env.VITEST_POOL_ID ?? '1'}${randomUUID().slice(0, 8)}`;
const stream = token.toUpperCase();
let craft: FakeCraft;
let runtime: StubRuntime;
let base: string;
let nc: NatsConnection;
let jsm: JetStreamManager;

beforeAll(async () => {
  const databaseUrl = databaseUrlFor(inject('services').databaseUrl, workerNames().database);
  await migrate(databaseUrl);
  craft = await startFakeCraft();
  const config = loadStubConfig({
    DATABASE_URL: databaseUrl,
    NATS_URL: inject('services').natsUrl,
    PORT: '0',
    STUBS_CONTRACT_STREAM: stream,
    STUBS_CONTRACT_SUBJECT_PREFIX: token,
    STUBS_CRAFT_URL: `${craft.url}/`,
    STUBS_CRAFT_TOKEN: 'static-craft-token',
    STUBS_FAULTS: 'seed.getPhase:1',
    STUBS_AUTH_DISABLED: 'true',
  });
  runtime = createStubRuntime(config, pino({ level: 'silent' }));
  await runtime.bus.whenReady();
  base = await runtime.app.listen({ host: '127.0.0.1', port: 0 });
  nc = await connect({ servers: inject('services').natsUrl, name: 'stub-server-tests' });
  jsm = await jetstreamManager(nc);
});

afterAll(async () => {
  await runtime?.app.close();
  await runtime?.close();
  await craft?.close();
  await jsm?.streams.delete(stream).catch(() => undefined);
  await nc?.drain();
});

async function post(path: string, body: object): Promise<any> {
  const res = await fetch(`${base}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const json = await res.json();
  if (res.status !== 200) throw Object.assign(new Error(`${path}: ${res.status} ${JSON.stringify(json)}`), { status: res.status, body: json });
  return json;
}
const k = () => `k:${randomUUID()}`;

describe('stub server runtime', () => {
  it('readyz_withDatabaseAndNatsUp_is200', async () => {
    const res = await fetch(`${base}/readyz`);
    expect([res.status, await res.json()]).toEqual([200, { status: 'ready', checks: { database: 'up', nats: 'up' } }]);
  });

  it('stubsFaults_fromTheEnvironment_areArmed', async () => {
    await expect(post(WIRE.seed.getPhase, { seedId: randomUUID() })).rejects.toMatchObject({ status: 503, body: { code: 'unavailable' } });
  });

  it('contract_preboundCallCarriesTheStaticToken_andTerminatePublishesOnJetStream', async () => {
    const gs = randomUUID();
    const sessionId = randomUUID();
    const parties = [1, 2].map((i) => ({ entityId: randomUUID(), entityType: 'character', role: `r${i}` }));
    const t = await post(WIRE.contract.createTemplate, {
      gameServiceId: gs,
      code: 'craft',
      minParties: 2,
      milestones: [{ code: 'a', name: 'A', onComplete: { path: '/craft/internal/complete-session', body: { sessionId } } }],
      idempotencyKey: k(),
    });
    const make = async () => {
      const c = await post(WIRE.contract.createInstance, { templateId: t.templateId, gameServiceId: gs, parties, idempotencyKey: k() });
      const ref = { contractId: c.contractId, gameServiceId: gs };
      await post(WIRE.contract.propose, { ...ref, idempotencyKey: k() });
      for (const p of parties) await post(WIRE.contract.consent, { ...ref, entityId: p.entityId, entityType: p.entityType, idempotencyKey: k() });
      return ref;
    };
    const fulfilled = await make();
    await post(WIRE.contract.completeMilestone, { ...fulfilled, milestoneCode: 'a', idempotencyKey: k() });
    await runtime.stubs.contract.whenIdle();
    expect(craft.calls.filter((c) => c.body.sessionId === sessionId)).toEqual([
      { path: '/craft/internal/complete-session', body: { sessionId }, authorization: 'Bearer static-craft-token' },
    ]);

    const ended = await make();
    await post(WIRE.contract.terminate, { ...ended, reason: 'cancelled', idempotencyKey: k() });
    const info = await jsm.streams.info(stream);
    expect(info.config.subjects).toEqual([`${token}.>`]);
    const msg = await jsm.streams.getMessage(stream, { last_by_subj: `${token}.terminated` });
    expect(msg?.header?.get('Nats-Msg-Id')).toBe(`contract.terminated:${ended.contractId}`);
    expect(msg?.json()).toMatchObject({ eventName: 'contract.terminated', contractId: ended.contractId, reason: 'cancelled' });
  });
});
