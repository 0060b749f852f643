/**
 * Counts the operation handlers running now, so a shutdown can wait for them before it
 * closes the database pools. Fastify's close waits for open connections only: a handler
 * whose client has already hung up keeps running after its connection is gone.
 */
export class InFlight {
  private count = 0;
  private waiters: (() => void)[] = [];

  get running(): number {
    return this.count;
  }

  async run<T>(fn: () => Promise<T>): Promise<T> {
    this.count++;
    try {
      return await fn();
    } finally {
      if (--this.count === 0) for (const wake of this.waiters.splice(0)) wake();
    }
  }

  /** True once no handler runs; false when `timeoutMs` passed first. */
  drain(timeoutMs: number): Promise<boolean> {
    if (this.count === 0) return Promise.resolve(true);
    return new Promise((resolve) => {
      const timer = setTimeout(() => resolve(false), timeoutMs);
      this.waiters.push(() => {
        clearTimeout(timer);
        resolve(true);
      });
    });
  }
}
