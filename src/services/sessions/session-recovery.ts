import type { Clock, Logger } from '../ports.js';
import type { SessionDriver } from './session-driver.js';
import type { SessionRepository } from './session-repository.js';

export interface RecoveryOptions {
  /** A transitional session untouched this long is assumed abandoned by its request. */
  staleAfterMs: number;
  batchSize: number;
  /**
   * A session paused longer ends failed ("paused too long"), everything returned: CRAFT_MAX_PAUSED_SECONDS
   * (`defaultMs`), or its game service's own limit (craft/settings/set) as `limitMs` answers it.
   */
  maxPaused?: { defaultMs: number; limitMs: (gameServiceId: string) => Promise<number> };
}

/**
 * One pass of background upkeep, safe on any number of instances at once (every
 * transition is a version-checked update and every effect is idempotent):
 * - active sessions past their deadline time out (materials returned, `failed` event), and
 *   sessions paused longer than their game service's limit (CRAFT_MAX_PAUSED_SECONDS by
 *   default) end the same way;
 * - sessions left mid-transition by a crash or an unreachable service are driven on:
 *   starts are rolled back, completions and cancellations finished, step consumption applied.
 */
export class SessionRecovery {
  constructor(
    private readonly d: { repo: SessionRepository; driver: SessionDriver; clock: Clock; log: Logger },
    private readonly opts: RecoveryOptions,
  ) {}

  async runOnce(): Promise<{ timedOut: number; recovered: number }> {
    const now = this.d.clock.now();
    let timedOut = 0;
    for (const id of await this.d.repo.findExpired(now, this.opts.batchSize)) {
      try {
        if (await this.timeOut(id)) timedOut++;
      } catch (err) {
        // One unreadable or unreachable session must not stop the pass for the others.
        this.d.log.warn({ err, sessionId: id }, 'session timeout will be retried');
      }
    }
    const paused = this.opts.maxPaused;
    if (paused) {
      for (const id of await this.d.repo.findPausedTooLong(now, paused.defaultMs / 1000, this.opts.batchSize)) {
        try {
          if (await this.d.driver.endPaused(id, paused.limitMs)) timedOut++;
        } catch (err) {
          this.d.log.warn({ err, sessionId: id }, 'ending a session paused too long will be retried');
        }
      }
    }
    const staleBefore = new Date(now.getTime() - this.opts.staleAfterMs);
    const stale = new Set([
      ...(await this.d.repo.findStale(['starting', 'completing', 'cancelling'], staleBefore, this.opts.batchSize)),
      ...(await this.d.repo.findPendingEffects(staleBefore, this.opts.batchSize)),
    ]);
    let recovered = 0;
    for (const id of stale) {
      try {
        await this.d.driver.drive(id);
        recovered++;
      } catch (err) {
        this.d.log.warn({ err, sessionId: id }, 'session recovery will retry');
      }
    }
    return { timedOut, recovered };
  }

  private async timeOut(id: string): Promise<boolean> {
    const s = await this.d.repo.find(id);
    return s ? this.d.driver.expire(s) : false;
  }
}
