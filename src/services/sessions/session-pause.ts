import { CraftError } from '../../domain/errors.js';
import type { Clock, LockProvider } from '../ports.js';
import type { Scope } from '../scope.js';
import type { SessionDriver } from './session-driver.js';
import type { SessionRecord } from './session-model.js';
import type { StationAccess } from './session-ports.js';

export interface SessionPauseDeps {
  driver: SessionDriver;
  locks: LockProvider;
  clock: Clock;
  stations: StationAccess;
  load(scope: Scope, sessionId: string): Promise<SessionRecord>;
  /** SessionService's: a session past its deadline times out (SESSION_EXPIRED), an attempt past its own ends. */
  refuseExpired(s: SessionRecord, now: Date): Promise<SessionRecord>;
  settings: {
    stationExclusivity: boolean;
    /** CRAFT_PAUSE_RELEASES_STATION: a paused session gives its station back until it resumes. */
    pauseReleasesStation: boolean;
  };
}

const shift = (d: Date | null, ms: number) => (d ? new Date(d.getTime() + ms) : null);
const shiftIso = (iso: string | null, ms: number) => (iso ? new Date(Date.parse(iso) + ms).toISOString() : null);

/**
 * Pause and resume (seed 003's engineering work saved at a station): a paused session keeps its
 * materials in escrow and its contract open; its deadlines stop. Resuming moves every deadline
 * (the session's, a step's ready time, a ruleset attempt's limit) on by the paused time. The
 * recovery pass ends sessions paused longer than CRAFT_MAX_PAUSED_SECONDS (SessionRecovery).
 */
export class SessionPause {
  constructor(private readonly d: SessionPauseDeps) {}

  async pause(scope: Scope, sessionId: string): Promise<SessionRecord> {
    return this.locked(sessionId, async () => {
      const s = await this.d.load(scope, sessionId);
      if (s.status === 'paused') return s;
      if (s.status !== 'active') throw new CraftError('SESSION_NOT_ACTIVE', `the session is ${s.status}`, { status: s.status });
      const now = this.d.clock.now();
      // Past its deadline it times out instead (an attempt's deadline ends only the attempt).
      const current = await this.d.refuseExpired(s, now);
      if (current.status !== 'active') throw new CraftError('SESSION_NOT_ACTIVE', `the session is ${current.status}`, { status: current.status });
      const releases = this.d.settings.stationExclusivity && this.d.settings.pauseReleasesStation && !!s.stationId;
      const ok = await this.d.driver.transition(current, { status: 'paused', pausedAt: now }, [], releases ? async (tx) => (await this.d.stations.release(tx, s.stationId!, s.id), []) : undefined);
      if (!ok) throw new CraftError('SESSION_VERSION_CONFLICT', 'the session changed concurrently; reload it');
      return { ...current, status: 'paused', pausedAt: now, version: current.version + 1 };
    });
  }

  async resume(scope: Scope, sessionId: string): Promise<SessionRecord> {
    return this.locked(sessionId, async () => {
      const s = await this.d.load(scope, sessionId);
      if (s.status === 'active') return s;
      if (s.status !== 'paused' || !s.pausedAt) throw new CraftError('SESSION_NOT_ACTIVE', `the session is ${s.status}`, { status: s.status });
      const now = this.d.clock.now();
      const paused = Math.max(0, now.getTime() - s.pausedAt.getTime());
      const rules = s.rules
        ? {
            ...s.rules,
            deadline: shiftIso(s.rules.deadline, paused),
            sessionExpiresAt: shiftIso(s.rules.sessionExpiresAt, paused)!,
            attemptStartedAt: shiftIso(s.rules.attemptStartedAt, paused)!,
          }
        : null;
      const change: Partial<SessionRecord> = { status: 'active', pausedAt: null, expiresAt: shift(s.expiresAt, paused)!, stepReadyAt: shift(s.stepReadyAt, paused), rules };
      const reclaims = this.d.settings.stationExclusivity && this.d.settings.pauseReleasesStation && !!s.stationId;
      // A station given back at pause must be free again (claimed in the same transaction).
      const ok = await this.d.driver.transition(
        s,
        change,
        [],
        reclaims
          ? async (tx) => {
              if (!(await this.d.stations.claim(tx, s.stationId!, s.id))) {
                throw new CraftError('STATION_IN_USE', 'another session holds the station; the session stays paused', { stationId: s.stationId });
              }
              return [];
            }
          : undefined,
      );
      if (!ok) throw new CraftError('SESSION_VERSION_CONFLICT', 'the session changed concurrently; reload it');
      return { ...s, ...change, version: s.version + 1 } as SessionRecord;
    });
  }

  private async locked<T>(sessionId: string, fn: () => Promise<T>): Promise<T> {
    const lock = await this.d.locks.acquire(`session:${sessionId}`);
    if (!lock) throw new CraftError('SESSION_LOCKED', 'another request is changing this session; retry');
    try {
      return await fn();
    } finally {
      await lock.release();
    }
  }
}
