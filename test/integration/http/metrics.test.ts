import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from '../../helpers/harness.js';
import { count, sample, scrape } from '../../helpers/metrics.js';
import { expectError, forgeWorld, ok, startBody, swordMaterials } from '../../helpers/world.js';

let h: Harness;
let redis: Redis;
beforeAll(async () => {
  // A 1 s lock lifetime makes a request wait at most 1 s for a lock held elsewhere.
  h = await startHarness({ CRAFT_LOCK_TIMEOUT_SECONDS: '1' });
  redis = new Redis(h.config.redisUrl);
});
afterAll(async () => {
  redis.disconnect();
  await h.close();
});

/** The seed's sword without the 15-second heat: every step is ready at once. */
const quickSteps = {
  steps: [
    { code: 'heat_metal', name: 'Heat the metal', stationType: 'forge', skillCheck: true },
    { code: 'hammer_blade', name: 'Hammer the blade', stationType: 'forge', toolCategory: 'hammer', skillCheck: true },
    { code: 'quench', name: 'Quench', stationType: 'forge', skillCheck: false },
    { code: 'attach_grip', name: 'Attach the grip', toolCategory: 'hammer', skillCheck: false },
  ],
};

const production = { recipe_type: 'production' };

describe('GET /metrics', () => {
  it('metrics_startCompleteAndCancelThroughHttp_sessionCountersAndRouteLatencyIncrease', async () => {
    const w = await forgeWorld(h, { recipe: quickSteps });
    await swordMaterials(w, 2);
    const before = await scrape(h);

    const first = await ok(h, '/craft/session/start', startBody(w));
    for (const stepCode of ['heat_metal', 'hammer_blade', 'quench']) {
      await ok(h, '/craft/session/advance', { sessionId: first.sessionId, stepCode, performance: 0.8 });
    }
    const last = await ok(h, '/craft/session/advance', { sessionId: first.sessionId, stepCode: 'attach_grip' });
    expect(last.status).toBe('completed');
    const second = await ok(h, '/craft/session/start', startBody(w));
    expect((await ok(h, '/craft/session/cancel', { sessionId: second.sessionId })).status).toBe('cancelled');

    const res = await h.app.inject({ method: 'GET', url: '/metrics' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/);
    const after = res.body;
    const delta = (name: string, labels: Record<string, string>) => count(after, name, labels) - count(before, name, labels);
    // Only a start activates a session: exact. Recovery of another file's leftovers could add endings.
    expect(delta('craft_sessions_started_total', production)).toBe(2);
    expect(delta('craft_sessions_completed_total', production)).toBeGreaterThanOrEqual(1);
    expect(delta('craft_sessions_cancelled_total', production)).toBeGreaterThanOrEqual(1);
    expect(after).toContain('# TYPE craft_sessions_failed_total counter');

    // Latency per route pattern, method and status.
    const route = { method: 'POST', route: '/craft/session/start', status_code: '200' };
    expect(count(after, 'http_request_duration_seconds_count', route) - count(before, 'http_request_duration_seconds_count', route)).toBe(2);
    expect(sample(after, 'http_request_duration_seconds_bucket', { ...route, le: '+Inf' })).toBeGreaterThanOrEqual(2);
    expect(count(after, 'http_request_duration_seconds_count', { route: '/craft/session/advance', status_code: '200' })).toBeGreaterThanOrEqual(4);
    expect(after).not.toMatch(/route="\/metrics"/);

    // Outbox lag, read at scrape time.
    expect(sample(after, 'craft_outbox_pending_events')).toBeGreaterThanOrEqual(0);
    expect(sample(after, 'craft_outbox_oldest_pending_age_seconds')).toBeGreaterThanOrEqual(0);
    // The rest of the operations set is declared from the start.
    for (const name of ['craft_lock_acquire_failures_total', 'craft_version_conflicts_total', 'craft_idempotent_replays_total']) {
      expect(after).toContain(`# TYPE ${name} counter`);
    }
    expect(sample(after, 'craft_idempotent_replays_total')).toBeGreaterThanOrEqual(0);
    expect(sample(after, 'process_cpu_user_seconds_total')).toBeGreaterThan(0);
  });

  it('metrics_notInTheOpenApiDocument', async () => {
    const doc = (await h.app.inject({ method: 'GET', url: '/openapi.json' })).json();
    expect(Object.keys(doc.paths)).not.toContain('/metrics');
  });

  it('lockHeldElsewhere_advanceAnswers409_lockFailureCountedAsHeld', async () => {
    const w = await forgeWorld(h, { recipe: quickSteps });
    await swordMaterials(w);
    const started = await ok(h, '/craft/session/start', startBody(w));
    const before = await scrape(h);

    // Another instance holds the session's mutex (redis-semaphore key format).
    const key = `mutex:${h.config.redisKeyPrefix}lock:session:${started.sessionId}`;
    await redis.set(key, 'another-instance', 'PX', 10_000);
    try {
      const res = await h.post('/craft/session/advance', { sessionId: started.sessionId, stepCode: 'heat_metal' });
      expectError(res, 409, 'SESSION_LOCKED');
    } finally {
      await redis.del(key);
    }

    const after = await scrape(h);
    const held = { lock: 'session', reason: 'held' };
    expect(count(after, 'craft_lock_acquire_failures_total', held) - count(before, 'craft_lock_acquire_failures_total', held)).toBe(1);
    await ok(h, '/craft/session/cancel', { sessionId: started.sessionId });
  });
});

describe('GET /readyz', () => {
  it('readyz_allUp_reportsEachDependencyAndTheOutboxLag', async () => {
    const res = await h.app.inject({ method: 'GET', url: '/readyz' });
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body).toMatchObject({
      status: 'ready',
      checks: { mysql: { status: 'up' }, redis: { status: 'up' }, nats: { status: 'up' } },
      outbox: { pending: expect.any(Number) },
    });
    expect(body.outbox.oldestMs === null || typeof body.outbox.oldestMs === 'number').toBe(true);
  });

  it('readyz_aDependencyNeverAnswers_downWithin2sAnd503', async () => {
    h.runtime.readiness.stuck = () => new Promise(() => undefined);
    try {
      const t0 = Date.now();
      const res = await h.app.inject({ method: 'GET', url: '/readyz' });
      expect(Date.now() - t0).toBeLessThan(3000);
      expect(res.statusCode).toBe(503);
      expect(res.json()).toMatchObject({ status: 'degraded', checks: { stuck: { status: 'down' }, mysql: { status: 'up' } } });
    } finally {
      delete h.runtime.readiness.stuck;
    }
  });
});
