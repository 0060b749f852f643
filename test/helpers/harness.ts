import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { Ajv } from 'ajv';
import formatsPlugin from 'ajv-formats';
import responseValidation from '@fastify/response-validation';
import type { FastifyInstance } from 'fastify';
import { pino } from 'pino';
import { inject } from 'vitest';
import { buildApp } from '../../src/app.js';
import { createRuntime, type Runtime, type RuntimeOverrides } from '../../src/compose.js';
import { loadConfig, type Config } from '../../src/infra/config/config.js';
import { migrate } from '../../src/infra/db/migrate.js';
import { loadSpec, sharedSchemas } from '../../src/http/openapi/load-spec.js';
import { mintToken, TEST_JWT_SECRET } from './tokens.js';

export const SPEC_PATH = fileURLToPath(new URL('../../schemas/craft-api.yaml', import.meta.url));
const spec = loadSpec(SPEC_PATH);

/**
 * Names isolating this worker: its own database, Redis prefix and NATS stream. Two test runs on
 * one machine stay apart when one of them sets CRAFT_TEST_NAMESPACE (letters and digits).
 */
export function workerNames() {
  const namespace = (process.env.CRAFT_TEST_NAMESPACE ?? '').replace(/[^A-Za-z0-9]/g, '').toLowerCase();
  const pool = `${namespace}${process.env.VITEST_POOL_ID ?? '1'}`;
  return {
    database: `craft_test_${pool}`,
    redisPrefix: `crafttest${pool}:`,
    subjectPrefix: `crafttest${pool}`,
    stream: `CRAFTTEST${pool.toUpperCase()}`,
    contractPrefix: `contracttest${pool}`,
    contractStream: `CONTRACTTEST${pool.toUpperCase()}`,
  };
}

export function databaseUrlFor(base: string, database: string) {
  const url = new URL(base);
  url.pathname = `/${database}`;
  return url.toString();
}

let migrated: Promise<unknown> | null = null;

export interface Harness {
  app: FastifyInstance;
  runtime: Runtime;
  config: Config;
  /**
   * Posts with an all-powerful token (admin, every game service) unless `headers` carries its own
   * `authorization`; an empty `authorization: ''` sends none.
   */
  post<T = any>(path: string, body: unknown, headers?: Record<string, string>): Promise<{ status: number; body: T; headers: Record<string, unknown> }>;
  /** The all-powerful `authorization` header value `post` sends by default. */
  authorization: string;
  /** Registers a fresh game service (tests isolate themselves with fresh ids). */
  gameService(): Promise<string>;
  close(): Promise<void>;
}

export async function startHarness(env: Record<string, string> = {}, overrides: RuntimeOverrides = {}): Promise<Harness> {
  const urls = inject('services');
  const names = workerNames();
  const databaseUrl = databaseUrlFor(urls.databaseUrl, names.database);
  migrated ??= migrate(databaseUrl);
  await migrated;
  const config = loadConfig({
    DATABASE_URL: databaseUrl,
    REDIS_URL: urls.redisUrl,
    NATS_URL: urls.natsUrl,
    CRAFT_REDIS_KEY_PREFIX: names.redisPrefix,
    CRAFT_EVENT_SUBJECT_PREFIX: names.subjectPrefix,
    CRAFT_NATS_STREAM: names.stream,
    CRAFT_CONTRACT_SUBJECT_PREFIX: names.contractPrefix,
    CRAFT_CONTRACT_STREAM: names.contractStream,
    CRAFT_OUTBOX_POLL_INTERVAL_MS: '50',
    DATABASE_CONNECTION_LIMIT: '20',
    // Off by default: concurrency tests fire far more than a caller's minute; rate-limit tests turn it on.
    CRAFT_RATE_LIMIT_PER_MINUTE: '0',
    // The suites were written against the local store (set may lower experience, faults
    // armed on every stub leave proficiency alone); seed-source.test.ts runs with `seed`.
    // TEST_PROFICIENCY_SOURCE=seed runs every suite against the seed stub instead.
    CRAFT_PROFICIENCY_SOURCE: process.env.TEST_PROFICIENCY_SOURCE ?? 'local',
    CRAFT_AUTH_JWT_SECRET: TEST_JWT_SECRET,
    // The in-process stubs stand in for every neighbour without an address.
    CRAFT_STANDALONE: 'true',
    ...env,
  });
  const log = pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' });
  const runtime = createRuntime(config, log, overrides);
  const app = await buildApp({
    spec,
    services: runtime.services,
    readiness: runtime.readiness,
    idempotency: runtime.idempotency,
    readinessInfo: runtime.readinessInfo,
    metrics: runtime.metrics,
    rateLimit: runtime.rateLimit,
    standalone: true,
    logger: log,
    auth: config.auth,
    // A handler returning the wrong shape fails the test instead of being coerced.
    beforeRoutes: async (a) => {
      const ajv = new Ajv({ strict: false, allErrors: true, removeAdditional: false, coerceTypes: false });
      (formatsPlugin as unknown as { default: (a: Ajv) => void }).default(ajv);
      for (const schema of sharedSchemas(spec.schemas)) ajv.addSchema(schema);
      await a.register(responseValidation, { ajv });
    },
  });
  runtime.start();
  // A test that points NATS at a dead address wants the service up without it.
  if (!env.NATS_URL) await runtime.internals.bus.whenReady();

  const defaultAuthorization = `Bearer ${await mintToken()}`;
  const post: Harness['post'] = async (path, body, headers = {}) => {
    const sent: Record<string, string> = { 'content-type': 'application/json', authorization: defaultAuthorization };
    for (const [name, value] of Object.entries(headers)) {
      if (name.toLowerCase() === 'authorization') delete sent.authorization;
      if (value !== '') sent[name.toLowerCase() === 'authorization' ? 'authorization' : name] = value;
    }
    const res = await app.inject({
      method: 'POST',
      url: path,
      headers: sent,
      payload: typeof body === 'string' ? body : JSON.stringify(body),
    });
    return { status: res.statusCode, body: res.body ? JSON.parse(res.body) : undefined, headers: res.headers };
  };

  return {
    app,
    runtime,
    config,
    post,
    authorization: defaultAuthorization,
    gameService: async () => {
      const res = await post('/dev/game-service/register', {
        stubName: `gs-${randomUUID().slice(0, 18)}`,
        displayName: 'Test game',
      });
      if (res.status !== 200) throw new Error(`registering a game service failed: ${JSON.stringify(res.body)}`);
      return res.body.gameService.serviceId as string;
    },
    close: async () => {
      await app.close();
      await runtime.close();
    },
  };
}
