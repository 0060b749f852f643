/**
 * What services report for operations. Implemented in src/infra/metrics (Prometheus);
 * services never see the metrics library, and the no-op defaults keep a service that
 * was built without metrics (unit tests, tools) working unchanged.
 */

/** Session lifecycle, counted once per session by the instance that commits the transition. */
export interface SessionMetrics {
  /** The session became active (its effects are reserved): mirrors `session.started`. */
  started(recipeType: string): void;
  completed(recipeType: string): void;
  /** Ended `failed`: a failed start, a timeout, a terminated contract, a cleanup. */
  failed(recipeType: string): void;
  /** Ended `cancelled` at the caller's request. */
  cancelled(recipeType: string): void;
}

export type VersionedAggregate = 'session' | 'recipe';

/** A conditional update (`WHERE version = expected`) that lost to a concurrent writer. */
export interface ConflictMetrics {
  versionConflict(aggregate: VersionedAggregate): void;
}

const nothing = () => undefined;

export const noopSessionMetrics: SessionMetrics = { started: nothing, completed: nothing, failed: nothing, cancelled: nothing };
export const noopConflictMetrics: ConflictMetrics = { versionConflict: nothing };
