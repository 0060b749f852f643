import type { FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import { createStubServices, type StubServices } from '../clients/stubs/index.js';
import { createPrisma } from '../infra/db/prisma.js';
import { NatsBus } from '../infra/nats/nats-bus.js';
import { buildStubApp } from './app.js';
import type { StubConfig } from './config.js';
import type { Latency } from './controls.js';
import { createCraftCallback } from './craft-callback.js';

const DRAIN_PREBOUND_MS = 10_000;

export interface StubRuntime {
  app: FastifyInstance;
  stubs: StubServices;
  latency: Latency;
  bus: NatsBus;
  /** Lets running prebound calls finish (bounded), then closes NATS and the database pool. */
  close(): Promise<void>;
}

/**
 * The stub server's process wiring: one Prisma pool, one NATS connection, the stubs on them,
 * the contract's prebound call over HTTP to lib-craft, and the app. Listens nowhere (main does).
 */
export function createStubRuntime(config: StubConfig, logger: Logger): StubRuntime {
  const prisma = createPrisma(config.databaseUrl, { connectionLimit: config.databaseConnectionLimit });
  const contractSubjects = [`${config.contractSubjectPrefix}.>`];
  const bus = new NatsBus({ url: config.natsUrl, stream: config.contractStream, subjectPrefix: config.contractSubjectPrefix }, logger);
  const stubs = createStubServices({
    prisma,
    log: logger,
    contract: {
      invokePrebound: createCraftCallback(config.craft),
      publish: async (subject, data, msgId) => {
        await bus.ensureStream(config.contractStream, contractSubjects);
        await bus.publish(subject, data, msgId);
      },
      terminatedSubject: `${config.contractSubjectPrefix}.terminated`,
      // As the real contract service: the milestone call answers, the prebound call follows.
      awaitPrebound: false,
    },
  });
  for (const rule of config.faults) stubs.faults.arm(rule.op, { every: rule.every, phase: rule.phase });
  if (config.faults.length > 0) logger.warn({ faults: config.faults }, 'STUBS_FAULTS: the stub services fail on purpose');
  if (config.craft.baseUrls.length === 0) {
    logger.warn('STUBS_CRAFT_URL is not set: fulfilled contracts cannot call lib-craft (its recovery completes the sessions)');
  } else if (!config.craft.token && !config.craft.jwtSecret) {
    logger.warn('neither STUBS_CRAFT_TOKEN nor STUBS_CRAFT_JWT_SECRET is set: prebound calls go without a token');
  }
  if (!config.authJwtSecret) logger.warn('STUBS_AUTH_JWT_SECRET is not set: every caller may use the stub server and its controls');

  const { app, latency } = buildStubApp({
    stubs,
    authJwtSecret: config.authJwtSecret,
    logger,
    readiness: {
      database: async () => {
        await prisma.$queryRaw`SELECT 1`;
      },
      nats: async () => {
        if (!bus.isReady()) throw new Error('NATS is not connected');
      },
    },
  });

  return {
    app,
    stubs,
    latency,
    bus,
    close: async () => {
      const drained = await Promise.race([
        stubs.contract.whenIdle().then(() => true),
        new Promise<boolean>((resolve) => setTimeout(() => resolve(false), DRAIN_PREBOUND_MS).unref()),
      ]);
      if (!drained) logger.warn('closing with prebound calls still running');
      await bus.close();
      await prisma.$disconnect();
    },
  };
}
