import { describe, expect, it } from 'vitest';
import { noopMetrics } from '../../../src/infra/metrics/metrics.js';
import { PrometheusMetrics, type OutboxLag } from '../../../src/infra/metrics/prometheus-metrics.js';
import { SessionDriver, type DriverDeps } from '../../../src/services/sessions/session-driver.js';
import type { SessionRecord } from '../../../src/services/sessions/session-model.js';
import { count, sample } from '../../helpers/metrics.js';

const silent = { info: () => undefined, warn: () => undefined, error: () => undefined, debug: () => undefined };
const metricsWith = (outboxLag: () => Promise<OutboxLag>, lagTimeoutMs?: number) =>
  new PrometheusMetrics({ outboxLag, log: silent, ...(lagTimeoutMs && { lagTimeoutMs }) });
const text = async (m: PrometheusMetrics) => (await m.scrape()).body;

describe('PrometheusMetrics', () => {
  it('metrics_twoInstancesInOneProcess_eachCountsInItsOwnRegistry', async () => {
    const a = metricsWith(async () => ({ pending: 0, oldestMs: null }));
    const b = metricsWith(async () => ({ pending: 0, oldestMs: null }));
    a.started('production');
    a.started('production');
    a.completed('extraction');
    a.versionConflict('recipe');
    a.lockFailure('session:6f1c0d3e-1111-4222-8333-944455556666', 'unavailable');
    a.idempotentReplays.inc();
    const out = await text(a);
    expect(count(out, 'craft_sessions_started_total', { recipe_type: 'production' })).toBe(2);
    expect(count(out, 'craft_sessions_completed_total', { recipe_type: 'extraction' })).toBe(1);
    expect(count(out, 'craft_version_conflicts_total', { aggregate: 'recipe' })).toBe(1);
    // The lock's kind, never its id: bounded label values.
    expect(count(out, 'craft_lock_acquire_failures_total', { lock: 'session', reason: 'unavailable' })).toBe(1);
    expect(out).not.toContain('6f1c0d3e');
    expect(count(out, 'craft_idempotent_replays_total')).toBe(1);
    expect(count(await text(b), 'craft_sessions_started_total', { recipe_type: 'production' })).toBe(0);
  });

  it('outboxLag_readOncePerScrape_bothGaugesSet', async () => {
    let reads = 0;
    const m = metricsWith(async () => (reads++, { pending: 7, oldestMs: 2500 }));
    const out = await text(m);
    expect(sample(out, 'craft_outbox_pending_events')).toBe(7);
    expect(sample(out, 'craft_outbox_oldest_pending_age_seconds')).toBe(2.5);
    expect(reads).toBe(1);
  });

  it('outboxLag_queryHangs_scrapeAnswersWithinTheTimeoutKeepingLastValues', async () => {
    let hang = false;
    const m = metricsWith(() => (hang ? new Promise<OutboxLag>(() => undefined) : Promise.resolve({ pending: 3, oldestMs: null })), 100);
    await text(m);
    hang = true;
    const t0 = Date.now();
    const out = await text(m);
    expect(Date.now() - t0).toBeLessThan(1000);
    expect(sample(out, 'craft_outbox_pending_events')).toBe(3);
    expect(sample(out, 'craft_outbox_oldest_pending_age_seconds')).toBe(0);
  });

  it('noopMetrics_acceptsEveryReport', () => {
    expect(() => {
      noopMetrics.started('production');
      noopMetrics.versionConflict('session');
      noopMetrics.lockFailure('recipe:x', 'held');
      noopMetrics.idempotentReplays.inc();
    }).not.toThrow();
  });
});

describe('SessionDriver metrics', () => {
  const session = (status: SessionRecord['status']) =>
    ({ id: 's1', status, version: 3, recipe: { recipeType: 'modification' } }) as unknown as SessionRecord;

  function driverWith(updateWins: boolean, metrics: PrometheusMetrics) {
    const deps = {
      repo: { update: async () => updateWins, commit: async () => updateWins },
      uow: { run: <T>(fn: (tx: never) => Promise<T>) => fn(undefined as never) },
      outbox: { add: async () => undefined, kick: () => undefined },
      clock: { now: () => new Date() },
      metrics,
    } as unknown as DriverDeps;
    return new SessionDriver(deps);
  }

  it('transition_statusChangeCommitted_countedOncePerOutcome', async () => {
    const m = metricsWith(async () => ({ pending: 0, oldestMs: null }));
    const driver = driverWith(true, m);
    expect(await driver.transition(session('starting'), { status: 'active' }, [])).toBe(true);
    expect(await driver.transition(session('active'), { pendingEffects: false }, [])).toBe(true); // no status change
    expect(await driver.transition(session('completing'), { status: 'completed' }, [])).toBe(true);
    expect(await driver.transition(session('cancelling'), { status: 'failed' }, [])).toBe(true);
    expect(await driver.transition(session('cancelling'), { status: 'cancelled' }, [])).toBe(true);
    const out = await text(m);
    for (const name of ['started', 'completed', 'failed', 'cancelled']) {
      expect(count(out, `craft_sessions_${name}_total`, { recipe_type: 'modification' })).toBe(1);
    }
    expect(count(out, 'craft_version_conflicts_total', { aggregate: 'session' })).toBe(0);
  });

  it('transition_versionMoved_countedAsConflictNotAsOutcome', async () => {
    const m = metricsWith(async () => ({ pending: 0, oldestMs: null }));
    expect(await driverWith(false, m).transition(session('completing'), { status: 'completed' }, [])).toBe(false);
    const out = await text(m);
    expect(count(out, 'craft_version_conflicts_total', { aggregate: 'session' })).toBe(1);
    expect(count(out, 'craft_sessions_completed_total', { recipe_type: 'modification' })).toBe(0);
  });
});
