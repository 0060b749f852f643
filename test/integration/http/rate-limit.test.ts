import { randomUUID } from 'node:crypto';
import { Writable } from 'node:stream';
import Fastify, { type FastifyBaseLogger } from 'fastify';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerErrorHandling } from '../../../src/http/error-handler.js';
import { registerRateLimit } from '../../../src/http/rate-limit.js';
import type { RateLimitCounter } from '../../../src/infra/redis/rate-limit-counter.js';
import { startHarness, type Harness } from '../../helpers/harness.js';
import { mintToken } from '../../helpers/tokens.js';

/** A caller address nobody else uses, so a window left from an earlier run never counts. */
const freshIp = () => `10.${[0, 1, 2].map(() => Math.floor(Math.random() * 250) + 1).join('.')}`;

async function waitFor(check: () => Promise<unknown>, timeoutMs = 10_000) {
  for (const deadline = Date.now() + timeoutMs; ; await new Promise((r) => setTimeout(r, 50))) {
    try {
      return await check();
    } catch (err) {
      if (Date.now() > deadline) throw err;
    }
  }
}

/** One caller per address: the limit keys on the token subject. */
async function getRecipe(h: Harness, remoteAddress: string) {
  return h.app.inject({
    method: 'POST',
    url: '/craft/recipe/get',
    remoteAddress,
    headers: { 'content-type': 'application/json', authorization: `Bearer ${await mintToken({ sub: `caller-${remoteAddress}` })}` },
    payload: JSON.stringify({ recipeId: randomUUID() }),
  });
}

describe('rate limit (CRAFT_RATE_LIMIT_PER_MINUTE=5, Redis store)', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ CRAFT_RATE_LIMIT_PER_MINUTE: '5' });
    // Until its Redis client connects the limit fails open: start counting once it has.
    await waitFor(() => h.runtime.readiness.redis!());
  });
  afterAll(() => h.close());

  it('rateLimit_sixthRequestInTheMinute_answers429WithBodyAndRetryAfter', async () => {
    const ip = freshIp();
    for (let i = 0; i < 5; i++) {
      const res = await getRecipe(h, ip);
      expect(res.statusCode).toBe(404); // counted, answered normally
      expect(res.headers['x-ratelimit-remaining']).toBe(String(4 - i));
    }
    const limited = await getRecipe(h, ip);
    expect(limited.statusCode).toBe(429);
    const body = limited.json();
    expect(body).toEqual({
      code: 'RATE_LIMITED',
      message: expect.any(String),
      details: { retryAfterSeconds: expect.any(Number) },
    });
    expect(body.details.retryAfterSeconds).toBeGreaterThanOrEqual(1);
    expect(body.details.retryAfterSeconds).toBeLessThanOrEqual(60);
    expect(limited.headers['retry-after']).toBe(String(body.details.retryAfterSeconds));
    expect(limited.headers['x-request-id']).toBeDefined();
  });

  it('rateLimit_anotherCaller_hasItsOwnWindow', async () => {
    const busy = freshIp();
    for (let i = 0; i < 6; i++) await getRecipe(h, busy);
    expect((await getRecipe(h, busy)).statusCode).toBe(429);
    expect((await getRecipe(h, freshIp())).statusCode).toBe(404);
  });

  it('rateLimit_probesMetricsAndDocs_areNeverLimited', async () => {
    const ip = freshIp();
    for (let i = 0; i < 6; i++) await getRecipe(h, ip);
    for (let i = 0; i < 8; i++) {
      expect((await h.app.inject({ method: 'GET', url: '/livez', remoteAddress: ip })).statusCode).toBe(200);
    }
    expect((await h.app.inject({ method: 'GET', url: '/readyz', remoteAddress: ip })).statusCode).toBe(200);
    expect((await h.app.inject({ method: 'GET', url: '/metrics', remoteAddress: ip })).statusCode).toBe(200);
    expect((await h.app.inject({ method: 'GET', url: '/docs/', remoteAddress: ip })).statusCode).toBe(200);
    expect((await getRecipe(h, ip)).statusCode).toBe(429);
  });
});

describe('rate limit with Redis down', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ CRAFT_RATE_LIMIT_PER_MINUTE: '5', REDIS_URL: 'redis://127.0.0.1:6399' });
  });
  afterAll(() => h.close());

  it('rateLimit_redisUnreachable_failsOpen', async () => {
    const ip = freshIp();
    for (let i = 0; i < 8; i++) expect((await getRecipe(h, ip)).statusCode).toBe(404);
  });
});

describe('rate limit plugin', () => {
  /** An in-memory counter (one window per key) or one that always fails. */
  const memoryCounter = (): RateLimitCounter => {
    const hits = new Map<string, number>();
    return { hit: async (key) => ({ count: hits.set(key, (hits.get(key) ?? 0) + 1).get(key)!, ttlMs: 60_000 }) };
  };

  async function bareApp(counter: RateLimitCounter, lines: string[] = []) {
    const sink = new Writable({ write: (chunk, _enc, done) => (lines.push(String(chunk)), done()) });
    const logger: FastifyBaseLogger = pino({ level: 'warn' }, sink);
    const app = Fastify({ loggerInstance: logger });
    registerErrorHandling(app);
    app.decorateRequest('callerId', null);
    app.addHook('onRequest', async (request) => {
      // What authentication will do: the verified identity.
      const caller = request.headers['x-test-caller'];
      (request as { callerId?: string | null }).callerId = typeof caller === 'string' ? caller : null;
    });
    await registerRateLimit(app, { perMinute: 2, counter });
    app.get('/thing', async () => ({ ok: true }));
    return app;
  }

  it('rateLimit_authenticatedCallers_keyedByCallerNotAddress', async () => {
    const app = await bareApp(memoryCounter());
    const call = (caller: string) => app.inject({ method: 'GET', url: '/thing', headers: { 'x-test-caller': caller } });
    expect([(await call('a')).statusCode, (await call('a')).statusCode, (await call('a')).statusCode]).toEqual([200, 200, 429]);
    expect((await call('b')).statusCode).toBe(200); // same address, another caller
    await app.close();
  });

  it('rateLimit_storeFails_requestsPassAndOneWarningIsLogged', async () => {
    const lines: string[] = [];
    const app = await bareApp({ hit: async () => Promise.reject(new Error('Connection is closed.')) }, lines);
    for (let i = 0; i < 5; i++) expect((await app.inject({ method: 'GET', url: '/thing' })).statusCode).toBe(200);
    const warnings = lines.map((l) => JSON.parse(l)).filter((l) => /rate limit store unavailable/.test(l.msg));
    expect(warnings).toHaveLength(1);
    await app.close();
  });

  it('rateLimit_zeroPerMinute_isOff', async () => {
    const app = Fastify();
    await registerRateLimit(app, { perMinute: 0, counter: { hit: async () => ({ count: 1_000_000, ttlMs: 1 }) } });
    app.get('/thing', async () => ({ ok: true }));
    expect((await app.inject({ method: 'GET', url: '/thing' })).statusCode).toBe(200);
    await app.close();
  });
});
