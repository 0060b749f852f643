import type { Tx } from '../ports.js';
import type { StationInfo, StationListFilter, StationRecord } from './station-model.js';

/** Every database call about stations. Methods taking `tx` run inside the caller's transaction. */
export interface StationRepository {
  insert(station: StationInfo): Promise<void>;
  /** By id; with `gameServiceIds`, only a station of one of them (null = any game service). */
  findById(id: string, gameServiceIds?: string[] | null): Promise<StationRecord | null>;
  /** Matching stations ordered by createdAt, then id (stable paging). */
  list(filter: StationListFilter): Promise<{ items: StationInfo[]; totalCount: number }>;
  /**
   * Marks the station inactive at `at` if it is still active (a deregistered station keeps
   * its first deregisteredAt); returns the stored station, or null when there is none.
   */
  deactivate(id: string, at: Date, gameServiceIds?: string[] | null): Promise<StationRecord | null>;
  /**
   * Conditional update: `activeSessionId = sessionId` where the station is active and free
   * or already held by this session. True when the session holds the station afterwards.
   */
  claim(tx: Tx, stationId: string, sessionId: string): Promise<boolean>;
  /** Clears the claim if `sessionId` holds it; true when it did. */
  release(tx: Tx, stationId: string, sessionId: string): Promise<boolean>;
}
