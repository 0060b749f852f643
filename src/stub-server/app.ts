import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance, type FastifyServerOptions } from 'fastify';
import { WIRE, type Neighbour } from '../clients/http/wire.js';
import type { StubServices } from '../clients/stubs/index.js';
import { registerStubAuth } from './auth.js';
import { Latency, registerControls } from './controls.js';
import { registerErrorHandling } from './errors.js';
import { wireHandlers } from './routes/index.js';

const READINESS_TIMEOUT_MS = 2_000;

export interface StubAppDeps {
  stubs: StubServices;
  /** Each check throws (or times out) when its dependency is down: /readyz then answers 503. */
  readiness: Record<string, () => Promise<void>>;
  /** STUBS_AUTH_JWT_SECRET; null = no authentication. */
  authJwtSecret: string | null;
  logger?: FastifyBaseLogger;
}

export interface StubApp {
  app: FastifyInstance;
  latency: Latency;
}

/** The stub server's HTTP app: every WIRE route over the given stubs, the probes and the controls. Never listens. */
export function buildStubApp(deps: StubAppDeps): StubApp {
  const options: FastifyServerOptions = deps.logger ? { loggerInstance: deps.logger, logController: new LogController({ disableRequestLogging: true }) } : { logger: false };
  const app = Fastify(options);
  const latency = new Latency();
  registerErrorHandling(app);
  registerStubAuth(app, deps.authJwtSecret);

  app.get('/livez', async () => ({ status: 'ok' }));
  app.get('/readyz', async (_request, reply) => {
    const checks = await Promise.all(
      Object.entries(deps.readiness).map(async ([name, check]) => {
        try {
          await withTimeout(check(), READINESS_TIMEOUT_MS);
          return [name, 'up'] as const;
        } catch {
          return [name, 'down'] as const;
        }
      }),
    );
    const ready = checks.every(([, status]) => status === 'up');
    return reply.code(ready ? 200 : 503).send({ status: ready ? 'ready' : 'unavailable', checks: Object.fromEntries(checks) });
  });

  registerControls(app, { faults: deps.stubs.faults, latency });

  const handlers = wireHandlers(deps.stubs);
  for (const neighbour of Object.keys(WIRE) as Neighbour[]) {
    const paths = WIRE[neighbour] as Record<string, string>;
    const byOp = handlers[neighbour] as Record<string, (body: unknown) => Promise<unknown>>;
    for (const [op, path] of Object.entries(paths)) {
      const handle = byOp[op]!;
      app.post(path, async (request) => {
        await latency.wait(path);
        return handle(request.body);
      });
    }
  }
  return { app, latency };
}

function withTimeout<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms`)), ms);
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}
