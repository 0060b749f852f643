import type { FastifyBaseLogger, FastifyInstance, FastifyRequest } from 'fastify';
import rateLimit, { normalizeIP } from '@fastify/rate-limit';
import { CraftError } from '../domain/errors.js';
import type { RateLimitCounter } from '../infra/redis/rate-limit-counter.js';

export interface RateLimitSettings {
  /** Requests per caller per minute; 0 turns rate limiting off. */
  perMinute: number;
  counter: RateLimitCounter;
}

const WINDOW_MS = 60_000;
const STORE_ERROR_LOG_INTERVAL_MS = 30_000;
/** Probes, scrapes and docs are never limited. */
const EXEMPT = /^\/(livez|readyz|metrics)$|^\/docs(\/|$)/;

/**
 * The caller's identity once authentication sets one (in an onRequest hook, which runs
 * before this route-level hook); the client address until then, an IPv6 client by its /64.
 */
function callerKey(request: FastifyRequest): string {
  const callerId = (request as FastifyRequest & { callerId?: string | null }).callerId;
  return callerId ? `caller:${callerId}` : `ip:${normalizeIP(request.ip)}`;
}

/**
 * Adapts the shared counter to @fastify/rate-limit's store contract. A counter error
 * (Redis down) is logged, at most every 30 s, and the plugin lets the request through
 * (`skipOnError`): losing the limit for a while beats refusing every caller.
 */
function storeFor(counter: RateLimitCounter, log: FastifyBaseLogger) {
  let lastLog = 0;
  let suppressed = 0;
  const logFailure = (err: unknown) => {
    const now = Date.now();
    if (now - lastLog < STORE_ERROR_LOG_INTERVAL_MS) {
      suppressed++;
      return;
    }
    log.warn({ err, suppressed }, 'rate limit store unavailable; requests are not limited until it returns');
    lastLog = now;
    suppressed = 0;
  };
  return class CounterStore {
    incr(key: string, callback: (error: Error | null, result?: { current: number; ttl: number }) => void, timeWindow: number) {
      counter.hit(key, timeWindow).then(
        ({ count, ttlMs }) => callback(null, { current: count, ttl: ttlMs }),
        (err: Error) => {
          logFailure(err);
          callback(err);
        },
      );
    }

    /** One window per caller across all routes: route-level settings share the counter. */
    child() {
      return this;
    }
  };
}

/** Per-caller rate limit with the error body; register before the routes it guards. */
export async function registerRateLimit(app: FastifyInstance, settings: RateLimitSettings) {
  if (settings.perMinute <= 0) return;
  await app.register(rateLimit, {
    global: true,
    max: settings.perMinute,
    timeWindow: WINDOW_MS,
    hook: 'onRequest',
    store: storeFor(settings.counter, app.log),
    skipOnError: true,
    keyGenerator: callerKey,
    allowList: (request) => EXEMPT.test(request.routeOptions.url ?? request.url),
    errorResponseBuilder: (_request, context) => {
      const retryAfterSeconds = Math.max(1, Math.ceil(context.ttl / 1000));
      return new CraftError('RATE_LIMITED', `too many requests: at most ${context.max} per minute; retry in ${retryAfterSeconds} s`, {
        retryAfterSeconds,
      });
    },
  });
}
