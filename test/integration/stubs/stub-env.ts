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

export interface StubEnv extends StubServices {
  prisma: PrismaClient;
  close(): Promise<void>;
}

let migrated: Promise<unknown> | null = null;

function workerDatabaseUrl(): string {
  const url = new URL(inject('services').databaseUrl);
  url.pathname = `/${workerNames().database}`;
  return url.toString();
}

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
  return { ...stubs, prisma, close: () => prisma.$disconnect() };
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
