import type { Redis } from 'ioredis';
import { Mutex } from 'redis-semaphore';
import type { Lock, LockProvider, Logger } from '../../services/ports.js';

export interface LockOptions {
  keyPrefix: string;
  /** How long a lock lives if its holder dies (CRAFT_LOCK_TIMEOUT_SECONDS). */
  lockTimeoutMs: number;
  /** How long to wait for a lock held by someone else before answering 409. */
  acquireTimeoutMs: number;
  /** Called when Redis cannot be reached and the caller proceeds without a lock. */
  onUnavailable?: (err: unknown, name: string) => void;
  /** Called when another holder kept the lock past the wait (the caller answers 409). */
  onBusy?: (name: string) => void;
}

const noopLock: Lock = { release: async () => undefined };

/** Redis mutex (SET NX PX + refresh + compare-and-delete release). */
export class RedisLockProvider implements LockProvider {
  constructor(
    private readonly redis: Redis,
    private readonly opts: LockOptions,
    private readonly log: Logger,
  ) {}

  async acquire(name: string): Promise<Lock | null> {
    const mutex = new Mutex(this.redis, `${this.opts.keyPrefix}lock:${name}`, {
      lockTimeout: this.opts.lockTimeoutMs,
      acquireTimeout: this.opts.acquireTimeoutMs,
      retryInterval: 25,
      refreshInterval: Math.floor(this.opts.lockTimeoutMs * 0.8),
      onLockLost: (err) => this.log.warn({ err, lock: name }, 'lock lost before release'),
    });
    let acquired: boolean;
    try {
      acquired = await mutex.tryAcquire();
      const deadline = Date.now() + this.opts.acquireTimeoutMs;
      while (!acquired && Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, 25));
        acquired = await mutex.tryAcquire();
      }
    } catch (err) {
      this.log.warn({ err, lock: name }, 'lock store unavailable; continuing on version checks');
      this.opts.onUnavailable?.(err, name);
      return noopLock;
    }
    if (!acquired) {
      this.opts.onBusy?.(name);
      return null;
    }
    return {
      release: async () => {
        try {
          await mutex.release();
        } catch (err) {
          // The lock expires by itself; a failed release only delays the next holder.
          this.log.warn({ err, lock: name }, 'lock release failed');
        }
      },
    };
  }
}
