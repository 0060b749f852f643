import { randomUUID } from 'node:crypto';
import Fastify, { LogController, type FastifyInstance, type FastifyServerOptions } from 'fastify';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { ReadinessCheck } from './compose.js';
import { registerAuth, type AuthSettings } from './http/auth.js';
import { registerErrorHandling } from './http/error-handler.js';
import { idempotencyPlugin } from './http/idempotency/idempotency-plugin.js';
import { registerLogContext } from './http/log-context.js';
import { registerMetrics } from './http/metrics.js';
import { registerRateLimit, type RateLimitSettings } from './http/rate-limit.js';
import type { PrometheusMetrics } from './infra/metrics/prometheus-metrics.js';
import type { LoadedSpec } from './http/openapi/load-spec.js';
import { registerSpecRoutes } from './http/openapi/register-routes.js';
import { InFlight } from './http/in-flight.js';
import { clientErrorHandler } from './http/client-errors.js';
import { jsonLimits } from './http/openapi/json-limits.js';

declare module 'fastify' {
  interface FastifyInstance {
    /** Operation handlers running now; server.ts waits for them before closing the pools. */
    handlersInFlight: InFlight;
  }
}
import { buildHandlers } from './http/routes/index.js';
import type { IdempotencyService } from './services/idempotency/idempotency-service.js';
import type { Services } from './services/services.js';

export interface AppDeps {
  spec: LoadedSpec;
  services: Services;
  readiness: Record<string, ReadinessCheck>;
  standalone: boolean;
  logger: FastifyServerOptions['loggerInstance'] | false;
  /** Bearer-token authentication for every spec route; `{ disabled: true }` turns it off (logged). */
  auth: AuthSettings;
  /** Served on GET /metrics with per-route latency; no /metrics without it. */
  metrics?: PrometheusMetrics;
  /** Per-caller request limit (429 RATE_LIMITED); none without it. */
  rateLimit?: RateLimitSettings;
  /** Informational details in the /readyz body (e.g. outbox lag); never a reason for 503. */
  readinessInfo?: Record<string, ReadinessCheck>;
  /** Idempotency-Key handling for the operations that declare the header; ignored without it. */
  idempotency?: IdempotencyService;
  /** Extra plugins registered before the routes (tests add response validation). */
  beforeRoutes?: (app: FastifyInstance) => Promise<void> | void;
}

const REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;
const BODY_LIMIT_BYTES = 4 * 1024 * 1024;
const READINESS_TIMEOUT_MS = 2000;

/** Builds the HTTP app from injected dependencies; never listens (server.ts does). */
export async function buildApp(deps: AppDeps): Promise<FastifyInstance> {
  const app = Fastify({
    ...(deps.logger ? { loggerInstance: deps.logger } : { logger: false }),
    bodyLimit: BODY_LIMIT_BYTES,
    requestIdHeader: false,
    logController: new LogController({ requestIdLogLabel: 'requestId' }),
    // A caller's x-request-id is kept when it is a sane token; otherwise we make one.
    genReqId: (req) => {
      const given = req.headers['x-request-id'];
      return typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
    },
    ajv: {
      customOptions: {
        allErrors: true,
        removeAdditional: false,
        coerceTypes: false,
        useDefaults: true,
        strict: false,
      },
      plugins: [jsonLimits],
    },
    clientErrorHandler,
  });

  // Every operation takes JSON: anything else is a 415, not a string body failing validation.
  app.removeContentTypeParser('text/plain');

  app.addHook('onSend', async (request, reply) => {
    reply.header('x-request-id', request.id);
  });
  registerErrorHandling(app);
  // Before the rate limit: its route-level hook keys on the caller this sets.
  registerAuth(app, deps.auth);
  // Before every route: the latency histogram and the limit hook attach to routes as they are added.
  if (deps.metrics) await registerMetrics(app, deps.metrics);
  if (deps.rateLimit) await registerRateLimit(app, deps.rateLimit);
  registerLogContext(app);
  // After the log context (a replay's log line carries the ids), before the routes.
  if (deps.idempotency) await app.register(idempotencyPlugin, { service: deps.idempotency });

  await app.register(swagger, { mode: 'static', specification: { document: deps.spec.document as never } });
  // The document's bearer scheme gives the UI its Authorize button; the token survives a reload.
  await app.register(swaggerUi, { routePrefix: '/docs', uiConfig: { persistAuthorization: true } });
  app.get('/openapi.json', { schema: { hide: true } }, async () => deps.spec.document);

  app.get('/livez', { schema: { hide: true } }, async () => ({ status: 'ok' }));
  app.get('/readyz', { schema: { hide: true } }, async (_request, reply) => {
    // Every probe is bounded: a hung dependency answers `down`, never a hung /readyz.
    const [entries, info] = await Promise.all([
      Promise.all(
        Object.entries(deps.readiness).map(async ([name, check]) => {
          try {
            await withTimeout(check(), READINESS_TIMEOUT_MS);
            return [name, { status: 'up' }] as const;
          } catch (err) {
            return [name, { status: 'down', error: (err as Error).message }] as const;
          }
        }),
      ),
      Promise.all(
        Object.entries(deps.readinessInfo ?? {}).map(async ([name, read]) => {
          try {
            return [name, await withTimeout(read(), READINESS_TIMEOUT_MS)] as const;
          } catch (err) {
            return [name, { error: (err as Error).message }] as const;
          }
        }),
      ),
    ]);
    const checks = Object.fromEntries(entries);
    const ready = entries.every(([, c]) => c.status === 'up');
    return reply
      .status(ready ? 200 : 503)
      .send({ ...Object.fromEntries(info), status: ready ? 'ready' : 'degraded', checks });
  });

  await deps.beforeRoutes?.(app);
  const inFlight = new InFlight();
  app.decorate('handlersInFlight', inFlight);
  registerSpecRoutes(app, deps.spec, buildHandlers(deps.services), { standalone: deps.standalone, inFlight });
  return app;
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
    promise.then(
      (v) => (clearTimeout(timer), resolve(v)),
      (e) => (clearTimeout(timer), reject(e)),
    );
  });
}
