// How every stub call runs: like a call to a remote service. Each mutating call is its own
// MySQL transaction (never the caller's), guarded by its idempotency key, retried on
// deadlocks, and wrapped by fault injection.
import type { Prisma, PrismaClient } from '../../generated/prisma/client.js';
import { isRetryableTxError } from '../../infra/db/unit-of-work.js';
import { ClientError } from '../errors.js';
import type { StubFaults } from './faults.js';

export type StubTx = Prisma.TransactionClient;

/** The part of a pino-style logger the stubs use. */
export interface StubLogger {
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}

/** What every stub is built from. */
export interface StubDeps {
  prisma: PrismaClient;
  /** One instance per process, shared by all stubs. */
  faults: StubFaults;
  log?: StubLogger;
}

const MAX_ATTEMPTS = 8;
const MAX_KEY_LENGTH = 300;
const TX_OPTIONS = {
  // Every read sees the latest committed row; rows that decide an outcome are read with
  // SELECT ... FOR UPDATE first, so the decision is made on the locked, current state.
  isolationLevel: 'ReadCommitted',
  maxWait: 10_000,
  timeout: 30_000,
} as const;

/** The key row disappeared between its insert and its lock (a purge): start over. */
class KeyVanished extends Error {}

export const silentLogger: StubLogger = { warn: () => undefined, error: () => undefined };

export class StubCalls {
  readonly log: StubLogger;

  constructor(
    private readonly service: string,
    private readonly deps: StubDeps,
  ) {
    this.log = deps.log ?? silentLogger;
  }

  get prisma(): PrismaClient {
    return this.deps.prisma;
  }

  /** A read or an unkeyed admin call, with faults around it. */
  async call<T>(method: string, fn: () => Promise<T>): Promise<T> {
    const op = `${this.service}.${method}`;
    await this.deps.faults.delay(op);
    this.deps.faults.check(op, 'before');
    const value = await fn();
    this.deps.faults.check(op, 'after');
    return value;
  }

  /**
   * A mutating call, applied once per key. The key row is inserted if absent (its own
   * autocommitted statement), then the transaction locks it FOR UPDATE before anything
   * else: a concurrent call with the same key queues on that lock. Holding it, a call with
   * a stored result returns that result (a replay); otherwise it runs `fn`, stores the JSON
   * result and commits. Errors thrown by `fn` roll back the effect and leave the key
   * without a result, so the next call with it runs `fn` again. `onCommit` hooks run
   * after a commit that applied the effect (not on a replay).
   *
   * (Inserting the key inside the transaction and treating a duplicate-key error as "replay"
   * works until the first holder rolls back: its waiters then all hold shared locks on the
   * key and deadlock each other, one winner per round. Queueing on an exclusive row lock
   * has no such herd.)
   */
  async mutate<T>(
    method: string,
    idempotencyKey: string,
    fn: (tx: StubTx, onCommit: (hook: () => Promise<void>) => void) => Promise<T>,
  ): Promise<T> {
    const op = `${this.service}.${method}`;
    if (typeof idempotencyKey !== 'string' || idempotencyKey === '' || idempotencyKey.length > MAX_KEY_LENGTH) {
      throw new ClientError(this.service, 'invalid', `${op}: an idempotency key of 1-${MAX_KEY_LENGTH} characters is required`);
    }
    await this.deps.faults.delay(op);
    this.deps.faults.check(op, 'before');
    const value = await this.runOnce(op, idempotencyKey, fn);
    this.deps.faults.check(op, 'after');
    return value;
  }

  private async runOnce<T>(
    op: string,
    idemKey: string,
    fn: (tx: StubTx, onCommit: (hook: () => Promise<void>) => void) => Promise<T>,
  ): Promise<T> {
    const { service, deps } = this;
    for (let attempt = 1; ; attempt++) {
      const hooks: (() => Promise<void>)[] = [];
      try {
        await deps.prisma.$executeRaw`INSERT IGNORE INTO stub_idempotency (service, idemKey) VALUES (${service}, ${idemKey})`;
        const outcome = await deps.prisma.$transaction(async (tx) => {
          const rows = await tx.$queryRaw<{ result: string | null }[]>`
            SELECT result FROM stub_idempotency WHERE service = ${service} AND idemKey = ${idemKey} FOR UPDATE`;
          if (rows.length === 0) throw new KeyVanished();
          const stored = rows[0]!.result;
          if (stored !== null) return { replayed: true as const, stored };
          const value = toJson(await fn(tx, (hook) => hooks.push(hook)));
          await tx.stubIdempotency.update({
            where: { service_idemKey: { service, idemKey } },
            data: { result: JSON.stringify({ op, value }) },
          });
          return { replayed: false as const, value };
        }, TX_OPTIONS);
        if (outcome.replayed) return this.replay<T>(op, idemKey, outcome.stored);
        for (const hook of hooks) await hook();
        return outcome.value;
      } catch (err) {
        const retryable = err instanceof KeyVanished || isRetryableTxError(err);
        if (attempt < MAX_ATTEMPTS && retryable) {
          await sleep(5 * attempt + Math.random() * 25);
          continue;
        }
        throw err;
      }
    }
  }

  private replay<T>(op: string, idemKey: string, storedJson: string): T {
    const stored = JSON.parse(storedJson) as { op: string; value: T };
    if (stored.op !== op) {
      throw new ClientError(this.service, 'invalid', `idempotency key "${idemKey}" was used for ${stored.op}, not ${op}`);
    }
    return stored.value;
  }
}

/** A plain JSON copy, so a first call and its replays return the same shape. */
function toJson<T>(value: T): T {
  return value === undefined ? (null as T) : (JSON.parse(JSON.stringify(value)) as T);
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

// ---- small helpers shared by the stubs ---------------------------------------------

const SCALE = 4;

/**
 * A JS number as a DECIMAL(20,4) literal. Amounts are rounded to 4 decimal places (the
 * column's scale), so what is stored is exactly what the stub computes with.
 */
export function toDecimalString(service: string, what: string, value: number, opts: { allowZero?: boolean } = {}): string {
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw new ClientError(service, 'invalid', `${what} must be a finite number`);
  }
  const fixed = value.toFixed(SCALE);
  const n = Number(fixed);
  if (n < 0 || (n === 0 && !opts.allowZero) || Math.abs(n) >= 1e16) {
    throw new ClientError(service, 'invalid', `${what} must be ${opts.allowZero ? '>= 0' : '> 0'} (4 decimal places), got ${value}`);
  }
  return fixed;
}

/** A Decimal (or anything with a decimal toString) as a JS number. */
export function num(value: { toString(): string } | number | null | undefined): number {
  if (value === null || value === undefined) return 0;
  return typeof value === 'number' ? value : Number(value.toString());
}

/** Parses a JSON column, tolerating an empty string (rows written before a column existed). */
export function parseJson<T>(text: string | null | undefined, fallback: T): T {
  if (text === null || text === undefined || text === '') return fallback;
  return JSON.parse(text) as T;
}

export function requireNonEmpty(service: string, what: string, value: unknown, max = 200): string {
  if (typeof value !== 'string' || value.trim() === '' || value.length > max) {
    throw new ClientError(service, 'invalid', `${what} must be a non-empty string of at most ${max} characters`);
  }
  return value;
}

/** Scaled integer (1/10000 units) of a DECIMAL(20,4) value or a 4-decimal string, for exact comparisons. */
export function units(value: { toFixed(dp: number): string } | string): bigint {
  const text = typeof value === 'string' ? value : value.toFixed(4);
  const negative = text.startsWith('-');
  const [whole = '0', frac = ''] = text.replace(/^-/, '').split('.');
  const n = BigInt(whole) * 10000n + BigInt((frac + '0000').slice(0, 4));
  return negative ? -n : n;
}

/** 1/10000 units back to a DECIMAL(20,4) literal. */
export function formatUnits(n: bigint): string {
  const negative = n < 0n;
  const abs = negative ? -n : n;
  const text = `${abs / 10000n}.${(abs % 10000n).toString().padStart(4, '0')}`;
  return negative ? `-${text}` : text;
}
