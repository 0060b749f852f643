import { collectDefaultMetrics, Counter, Gauge, Registry } from 'prom-client';
import type { Logger } from '../../services/ports.js';
import type { VersionedAggregate } from '../../services/metrics.js';
import type { LockFailureReason, Metrics } from './metrics.js';

export interface OutboxLag {
  pending: number;
  oldestMs: number | null;
}

export interface PrometheusMetricsOptions {
  /** Read on every scrape (the outbox relay's `lag()`); bounded by `lagTimeoutMs`. */
  outboxLag: () => Promise<OutboxLag>;
  lagTimeoutMs?: number;
  /** Node process metrics (CPU, memory, event loop, GC) in the same registry. */
  processMetrics?: boolean;
  log: Logger;
}

/**
 * Prometheus implementation of Metrics. Each instance owns its Registry (never the
 * global one), so several apps in one process (tests) never collide on metric names.
 */
export class PrometheusMetrics implements Metrics {
  readonly registry = new Registry();

  private readonly sessionsStarted = this.counter('craft_sessions_started_total', 'Sessions that became active, by recipe type', ['recipe_type']);
  private readonly sessionsCompleted = this.counter('craft_sessions_completed_total', 'Sessions completed (outputs created), by recipe type', ['recipe_type']);
  private readonly sessionsFailed = this.counter('craft_sessions_failed_total', 'Sessions ended failed (failed start, timeout, terminated contract, cleanup), by recipe type', ['recipe_type']);
  private readonly sessionsCancelled = this.counter('craft_sessions_cancelled_total', 'Sessions cancelled by their caller, by recipe type', ['recipe_type']);
  private readonly versionConflicts = this.counter('craft_version_conflicts_total', 'Conditional (version-checked) updates that lost to a concurrent writer', ['aggregate']);
  private readonly lockFailures = this.counter('craft_lock_acquire_failures_total', 'Lock acquisitions that failed: held by another holder, or lock store unavailable', ['lock', 'reason']);
  private readonly replays = this.counter('craft_idempotent_replays_total', 'Requests answered from a stored idempotent response', []);

  readonly idempotentReplays = { inc: () => this.replays.inc() };

  constructor(private readonly opts: PrometheusMetricsOptions) {
    // Both gauges come from one lag() query per scrape: the registry collects metrics
    // concurrently, so the second collect joins the query the first one started.
    let inFlight: Promise<OutboxLag | null> | null = null;
    const lagOnce = () => {
      inFlight ??= this.readLag().finally(() => {
        inFlight = null;
      });
      return inFlight;
    };
    new Gauge({
      name: 'craft_outbox_pending_events',
      help: 'Outbox events committed but not yet published to NATS (read at scrape time)',
      registers: [this.registry],
      async collect() {
        const lag = await lagOnce();
        if (lag) this.set(lag.pending);
      },
    });
    new Gauge({
      name: 'craft_outbox_oldest_pending_age_seconds',
      help: 'Age of the oldest unpublished outbox event in seconds, 0 when none (read at scrape time)',
      registers: [this.registry],
      async collect() {
        const lag = await lagOnce();
        if (lag) this.set((lag.oldestMs ?? 0) / 1000);
      },
    });
    if (opts.processMetrics) collectDefaultMetrics({ register: this.registry });
  }

  started(recipeType: string) {
    this.sessionsStarted.inc({ recipe_type: recipeType });
  }

  completed(recipeType: string) {
    this.sessionsCompleted.inc({ recipe_type: recipeType });
  }

  failed(recipeType: string) {
    this.sessionsFailed.inc({ recipe_type: recipeType });
  }

  cancelled(recipeType: string) {
    this.sessionsCancelled.inc({ recipe_type: recipeType });
  }

  versionConflict(aggregate: VersionedAggregate) {
    this.versionConflicts.inc({ aggregate });
  }

  /** Labelled by the lock's kind (`session`, `recipe`), never its id: bounded cardinality. */
  lockFailure(lockName: string, reason: LockFailureReason) {
    this.lockFailures.inc({ lock: lockName.split(':')[0] || 'other', reason });
  }

  /** The exposition text, for GET /metrics. */
  async scrape(): Promise<{ contentType: string; body: string }> {
    return { contentType: this.registry.contentType, body: await this.registry.metrics() };
  }

  /** A failed or slow lag query keeps the last values: the scrape itself must not fail or hang. */
  private async readLag(): Promise<OutboxLag | null> {
    const timeoutMs = this.opts.lagTimeoutMs ?? 1500;
    let timer: NodeJS.Timeout | undefined;
    try {
      return await Promise.race([
        this.opts.outboxLag(),
        new Promise<never>((_, reject) => {
          timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
        }),
      ]);
    } catch (err) {
      this.opts.log.warn({ err }, 'outbox lag unavailable for metrics');
      return null;
    } finally {
      clearTimeout(timer);
    }
  }

  private counter<L extends string>(name: string, help: string, labelNames: L[]) {
    return new Counter<L>({ name, help, labelNames, registers: [this.registry] });
  }
}
