import type { OutboxEventInput, Tx } from '../ports.js';

/** What sessions need from proficiency (local store or seed service). */
export interface ProficiencyAccess {
  levelOf(gameServiceId: string, entityId: string, entityType: string, domain: string): Promise<number>;
  /** Adds experience inside the caller's transaction; returns the events to publish with it. */
  grantInTx(
    tx: Tx,
    input: {
      gameServiceId: string;
      entityId: string;
      entityType: string;
      domain: string;
      amount: number;
      /** Derived from the session: an external proficiency store (seed) applies it once. */
      idempotencyKey: string;
    },
  ): Promise<{ events: OutboxEventInput[] }>;
}

export interface StationView {
  stationId: string;
  gameServiceId: string;
  stationType: string;
  locationId?: string | null;
  quality: number;
  /** Absent on records read before tiers existed (= 0). */
  tier?: number;
  /** Units per slot kind; null or absent = no limit. */
  capacity?: Record<string, number> | null;
  isActive: boolean;
}

/** What sessions need from stations. */
export interface StationAccess {
  /** Null when no such station exists in the game service. */
  find(stationId: string, gameServiceId: string): Promise<StationView | null>;
  /** CRAFT_STATION_EXCLUSIVITY: take the station for a session, in the caller's transaction. */
  claim(tx: Tx, stationId: string, sessionId: string): Promise<boolean>;
  release(tx: Tx, stationId: string, sessionId: string): Promise<void>;
}
