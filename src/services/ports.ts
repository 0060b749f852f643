/**
 * What the application services need from the outside world. Implementations
 * live in src/infra (MySQL, Redis, NATS) and src/clients; services import only
 * these interfaces, so every external system has a replaceable twin.
 */

/** An open database transaction. Opaque to services; repositories know what it is. */
export interface Tx {
  readonly __tx: unique symbol;
}

export interface UnitOfWork {
  /** Runs fn in one transaction, retrying on deadlock / lock-wait timeouts. */
  run<T>(fn: (tx: Tx) => Promise<T>): Promise<T>;
}

export interface OutboxEventInput {
  eventId: string;
  /** Topic without the configured prefix, e.g. `recipe.created`. */
  topic: string;
  payload: Record<string, unknown>;
}

export interface Outbox {
  /** Writes events in the caller's transaction; they are published after commit. */
  add(tx: Tx, events: OutboxEventInput[]): Promise<void>;
  /** Hints the relay that new rows are committed (publishes sooner than the poll). */
  kick(): void;
}

export interface Lock {
  release(): Promise<void>;
}

export interface LockProvider {
  /**
   * Acquires a named lock, or returns null when another holder keeps it past the
   * wait. When the lock store itself is unreachable it returns a no-op lock: the
   * lock only saves work, version checks in the database keep writes correct.
   */
  acquire(name: string): Promise<Lock | null>;
}

export interface Clock {
  now(): Date;
}

export interface IdGenerator {
  uuid(): string;
}

export interface Logger {
  info(obj: object | string, msg?: string): void;
  warn(obj: object | string, msg?: string): void;
  error(obj: object | string, msg?: string): void;
  debug(obj: object | string, msg?: string): void;
}
