import type { ConflictMetrics, SessionMetrics } from '../../services/metrics.js';

/**
 * The operational metrics every part of the service may report to. This file is
 * library-free on purpose: code that reports a metric imports the interface and the
 * no-op default, never prom-client; PrometheusMetrics (prometheus-metrics.ts) is the
 * one implementation, created once per runtime and exposed on GET /metrics.
 */
export interface Metrics extends SessionMetrics, ConflictMetrics {
  /** A named lock was not acquired: `held` by someone else past the wait, or its store was `unavailable`. */
  lockFailure(lockName: string, reason: LockFailureReason): void;
  /** A request answered from a stored idempotent response instead of executing again. */
  idempotentReplays: { inc(): void };
}

export type LockFailureReason = 'held' | 'unavailable';

const nothing = () => undefined;

export const noopMetrics: Metrics = {
  started: nothing,
  completed: nothing,
  failed: nothing,
  cancelled: nothing,
  versionConflict: nothing,
  lockFailure: nothing,
  idempotentReplays: { inc: nothing },
};
