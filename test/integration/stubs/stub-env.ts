// The stubs against the worker's real database, built directly (no app, no runtime), so
// these tests exercise exactly the stub services.
import { randomUUID } from 'node:crypto';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { jetstream, jetstreamManager, type JetStreamManager } from '@nats-io/jetstream';
import { inject } from 'vitest';
import {
  createStubServices,
  type ContractStubOptions,
  type StubServices,
} from '../../../src/clients/stubs/index.js';
import { migrate } from '../../../src/infra/db/migrate.js';
import { createPrisma, type PrismaClient } from '../../../src/infra/db/prisma.js';
import { workerNames } from '../../helpers/harness.js';
import { TEST_JWT_SECRET } from '../../helpers/tokens.js';
import { buildStubApp } from '../../../src/stub-server/app.js';
import { createHttpClients, tokenSource } from '../../../src/clients/http/index.js';
import type { AffixClient } from '../../../src/clients/affix-client.js';
import type { ContractClient } from '../../../src/clients/contract-client.js';
import type { CurrencyClient } from '../../../src/clients/currency-client.js';
import type { GameServiceRegistry } from '../../../src/clients/game-service-client.js';
import type { InventoryClient } from '../../../src/clients/inventory-client.js';
import type { ItemClient } from '../../../src/clients/item-client.js';
import type { SeedClient } from '../../../src/clients/seed-client.js';

/** The services a test calls: the stub classes' contracts, whichever adapter implements them. */
export interface StubEnv extends Omit<StubServices, 'gameService' | 'item' | 'inventory' | 'contract' | 'currency' | 'affix' | 'seed'> {
  gameService: GameServiceRegistry;
  item: ItemClient;
  inventory: InventoryClient;
  contract: ContractClient & { whenIdle(): Promise<void> };
  currency: CurrencyClient;
  affix: AffixClient;
  seed: SeedClient;
  /** The stub implementations themselves (what the stub server serves in the http adapter). */
  stubs: StubServices;
  prisma: PrismaClient;
  close(): Promise<void>;
}

let migrated: Promise<unknown> | null = null;

function workerDatabaseUrl(): string {
  const url = new URL(inject('services').databaseUrl);
  url.pathname = `/${workerNames().database}`;
  return url.toString();
}

/**
 * The services under test. By default the in-process stubs; with CRAFT_TEST_CLIENTS=http (the
 * `clients-http` project) the same stubs served by the stub server's app on a local port and
 * called through the HTTP clients, so one suite checks both adapters. `faults` and `prisma`
 * stay the stubs' own either way (the server runs in this process).
 */
export async function startStubs(contract: Partial<ContractStubOptions> = {}): Promise<StubEnv> {
  const databaseUrl = workerDatabaseUrl();
  migrated ??= migrate(databaseUrl);
  await migrated;
  const prisma = createPrisma(databaseUrl, { connectionLimit: 20 });
  const stubs = createStubServices({
    prisma,
    contract: {
      invokePrebound: async () => undefined,
      publish: async () => undefined,
      terminatedSubject: 'unused.contract.terminated',
      ...contract,
    },
  });
  if (process.env.CRAFT_TEST_CLIENTS !== 'http') return { ...stubs, stubs, prisma, close: () => prisma.$disconnect() };
  const { app } = buildStubApp({ stubs, readiness: {}, authJwtSecret: TEST_JWT_SECRET });
  const base = await app.listen({ port: 0, host: '127.0.0.1' });
  const names = ['gameService', 'item', 'inventory', 'contract', 'currency', 'affix', 'seed'] as const;
  // One attempt per call and a breaker that never opens: a fault the test injects must reach it as it would in-process.
  const http = createHttpClients(
    Object.fromEntries(names.map((n) => [n, base])),
    { timeoutMs: 10_000, retries: 0, connections: 32, queue: 10_000, breakerFailures: 1_000_000, breakerHalfOpenMs: 1000 },
    tokenSource({ jwtSecret: TEST_JWT_SECRET }),
    null,
  );
  const c = http.clients;
  return {
    ...stubs,
    gameService: c.gameService!,
    item: c.item!,
    inventory: c.inventory!,
    contract: Object.assign(c.contract!, { whenIdle: () => stubs.contract.whenIdle() }),
    currency: c.currency!,
    affix: c.affix!,
    seed: c.seed!,
    stubs,
    prisma,
    close: async () => {
      await http.close();
      await app.close();
      await stubs.contract.whenIdle();
      await prisma.$disconnect();
    },
  };
}

/** A fresh JetStream stream (and subject) of this test, removed by close(). */
export async function tempStream(): Promise<{
  nc: NatsConnection;
  jsm: JetStreamManager;
  stream: string;
  subject: string;
  publish: ContractStubOptions['publish'];
  close(): Promise<void>;
}> {
  const nc = await connect({ servers: inject('services').natsUrl, name: 'stub-tests' });
  const jsm = await jetstreamManager(nc);
  const token = `stubtest${process.env.VITEST_POOL_ID ?? '1'}${randomUUID().slice(0, 8)}`;
  const stream = token.toUpperCase();
  await jsm.streams.add({ name: stream, subjects: [`${token}.>`] });
  const js = jetstream(nc);
  return {
    nc,
    jsm,
    stream,
    subject: `${token}.terminated`,
    publish: async (subject, data, msgId) => {
      await js.publish(subject, data, { msgID: msgId });
    },
    close: async () => {
      await jsm.streams.delete(stream).catch(() => undefined);
      await nc.drain();
    },
  };
}

/** Runs `n` calls at once and sorts the outcomes. */
export async function concurrently<T>(n: number, fn: (i: number) => Promise<T>) {
  const results = await Promise.allSettled(Array.from({ length: n }, (_, i) => fn(i)));
  return {
    ok: results.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : [])),
    errors: results.flatMap((r) => (r.status === 'rejected' ? [r.reason as unknown] : [])),
  };
}

export const key = (label = 'k') => `${label}:${randomUUID()}`;
