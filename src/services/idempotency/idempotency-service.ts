import { CraftError } from '../../domain/errors.js';
import type { Clock, Logger } from '../ports.js';
import type { IdempotencyRepository, StoredResponse } from './idempotency-repository.js';

export interface IdempotencySettings {
  /** How long a completed response is replayed (CRAFT_IDEMPOTENCY_RETENTION_HOURS). */
  retentionMs: number;
  /** How long a request waits for a concurrent one with the same key before answering 409. */
  waitMs: number;
  /**
   * A claim older than this is presumed abandoned (its process died mid-request) and
   * may be taken over, so a crash does not block the key for the whole retention.
   * Far above any request's duration: a live request is never re-executed.
   */
  inProgressLeaseMs: number;
  /** Polling of a concurrent request's record: starts at min, doubles up to max. */
  pollMinMs: number;
  pollMaxMs: number;
  /** Rows deleted per statement by the purge. */
  purgeBatchSize: number;
}

export const DEFAULT_IDEMPOTENCY_SETTINGS: Omit<IdempotencySettings, 'retentionMs'> = {
  waitMs: 10_000,
  inProgressLeaseMs: 5 * 60_000,
  pollMinMs: 20,
  pollMaxMs: 250,
  purgeBatchSize: 1000,
};

/** This request owns the key: run the operation, then `finish` (or `abandon`) the claim. */
export interface IdempotencyClaim {
  callerKey: string;
  key: string;
  claimedAt: Date;
}

export type IdempotencyDecision =
  | { kind: 'execute'; claim: IdempotencyClaim }
  | { kind: 'replay'; response: StoredResponse };

export interface IdempotencyRequest {
  /** Who is calling (one key space per caller). */
  callerKey: string;
  /** The Idempotency-Key header, already checked for format. */
  key: string;
  /** Digest of what the request asks for (method, path, canonical body). */
  requestHash: string;
}

/**
 * Executes a request at most once per (caller, key) within the retention window:
 * the first request claims the key (a unique insert), later ones replay its stored
 * response, a request with the same key but another hash is refused (422), and a
 * request arriving while the first still runs waits for it (bounded) or gets 409.
 * Safe across instances: all coordination goes through the database row; waiters on
 * this instance are also woken directly when the claim finishes.
 */
export class IdempotencyService {
  private readonly waiters = new Map<string, Set<() => void>>();

  constructor(
    private readonly d: {
      repo: IdempotencyRepository;
      clock: Clock;
      log: Logger;
      /** Counts requests answered from a stored response. */
      replays?: { inc(): void };
    },
    private readonly settings: IdempotencySettings,
  ) {}

  async begin(req: IdempotencyRequest): Promise<IdempotencyDecision> {
    const { repo, clock } = this.d;
    const { callerKey, key, requestHash } = req;
    const deadline = clock.now().getTime() + this.settings.waitMs;
    let delay = this.settings.pollMinMs;
    let tryInsert = true;
    for (;;) {
      const now = clock.now();
      if (tryInsert) {
        if (await repo.insert({ callerKey, key, requestHash, claimedAt: now, expiresAt: this.expiry(now) })) {
          return { kind: 'execute', claim: { callerKey, key, claimedAt: now } };
        }
      }
      const record = await repo.find(callerKey, key);
      if (!record || record.expiresAt <= now) {
        // Released after a 5xx, or expired but not yet purged: the key is free again.
        if (record) await repo.deleteIfExpired(callerKey, key, now);
        if (now.getTime() >= deadline) throw inProgress();
        tryInsert = true;
        continue;
      }
      tryInsert = false;
      if (record.requestHash !== requestHash) {
        throw new CraftError(
          'IDEMPOTENCY_KEY_REUSED',
          'this Idempotency-Key was already used for a different request; use a new key for a new request',
        );
      }
      if (record.status === 'completed' && record.response) {
        this.d.replays?.inc();
        return { kind: 'replay', response: record.response };
      }
      if (record.claimedAt.getTime() <= now.getTime() - this.settings.inProgressLeaseMs) {
        if (await repo.takeOver(callerKey, key, record.claimedAt, now, this.expiry(now))) {
          this.d.log.warn({ idempotencyKey: key, claimedAt: record.claimedAt }, 'idempotency claim abandoned; running the request again');
          return { kind: 'execute', claim: { callerKey, key, claimedAt: now } };
        }
        continue;
      }
      if (now.getTime() >= deadline) throw inProgress();
      await this.sleep(waiterId(callerKey, key), Math.min(delay, Math.max(1, deadline - now.getTime())));
      delay = Math.min(delay * 2, this.settings.pollMaxMs);
    }
  }

  /**
   * Records how the claimed request ended. A 5xx is not stored: the key is released
   * and a retry runs again. 2xx and 4xx are replayed until the retention ends.
   */
  async finish(claim: IdempotencyClaim, response: StoredResponse): Promise<void> {
    if (response.status >= 500) return this.abandon(claim);
    try {
      const now = this.d.clock.now();
      const stored = await this.d.repo.complete(claim.callerKey, claim.key, claim.claimedAt, response, this.expiry(now));
      if (!stored) this.d.log.warn({ idempotencyKey: claim.key }, 'idempotency claim was taken over or purged; response not stored');
    } catch (err) {
      // The operation did run: the claim stays in progress (retries get 409) until its lease ends.
      this.d.log.error({ err, idempotencyKey: claim.key }, 'storing the idempotent response failed');
    } finally {
      this.wake(waiterId(claim.callerKey, claim.key));
    }
  }

  /** Frees the key without storing a response: the next request with it runs. */
  async abandon(claim: IdempotencyClaim): Promise<void> {
    try {
      await this.d.repo.release(claim.callerKey, claim.key, claim.claimedAt);
    } catch (err) {
      this.d.log.warn({ err, idempotencyKey: claim.key }, 'releasing an idempotency claim failed; it frees itself when its lease ends');
    } finally {
      this.wake(waiterId(claim.callerKey, claim.key));
    }
  }

  /** Deletes every record past its retention; safe to run on several instances at once. */
  async purgeExpired(): Promise<number> {
    const now = this.d.clock.now();
    let total = 0;
    for (;;) {
      const deleted = await this.d.repo.purgeExpired(now, this.settings.purgeBatchSize);
      total += deleted;
      if (deleted < this.settings.purgeBatchSize) break;
    }
    if (total > 0) this.d.log.info({ purged: total }, 'expired idempotency records purged');
    return total;
  }

  private expiry(now: Date): Date {
    return new Date(now.getTime() + this.settings.retentionMs);
  }

  private sleep(id: string, ms: number): Promise<void> {
    return new Promise((resolve) => {
      const set = this.waiters.get(id) ?? new Set<() => void>();
      const done = () => {
        clearTimeout(timer);
        set.delete(done);
        if (set.size === 0 && this.waiters.get(id) === set) this.waiters.delete(id);
        resolve();
      };
      const timer = setTimeout(done, ms);
      set.add(done);
      this.waiters.set(id, set);
    });
  }

  private wake(id: string) {
    for (const done of [...(this.waiters.get(id) ?? [])]) done();
  }
}

function waiterId(callerKey: string, key: string) {
  return `${callerKey}\u0000${key}`;
}

function inProgress() {
  return new CraftError(
    'IDEMPOTENCY_REQUEST_IN_PROGRESS',
    'a request with this Idempotency-Key is still running; retry later to receive its response',
  );
}
