/**
 * seed (soft dependency): growth-based progression (`/seed/type/register`, `/seed/create`,
 * `/seed/get-by-owner`, `/seed/growth/record`, `/seed/growth/get-phase`); proficiency can
 * live here (one seed type per crafting domain, e.g. `proficiency:blacksmithing`).
 *
 * A seed type has phases: each begins at a growth threshold; a seed is in the last phase
 * whose threshold its total growth has reached (the first phase below every threshold).
 * Errors: `not_found` (unknown seed or seed type), `conflict` (the owner already has a seed
 * of that type), `invalid`, `unavailable`.
 */
export interface SeedPhase {
  name: string;
  /** Total growth at which the phase begins (>= 0). */
  threshold: number;
}

export interface SeedType {
  gameServiceId: string;
  code: string;
  /** Sorted by threshold. */
  phases: SeedPhase[];
}

export interface SeedInfo {
  seedId: string;
  ownerId: string;
  ownerType: string;
  gameServiceId: string;
  seedTypeCode: string;
  /** 4 decimal places. */
  totalGrowth: number;
  /** The phase at totalGrowth. */
  phase: string;
}

export interface SeedPhaseInfo {
  phase: string;
  totalGrowth: number;
  /** The next phase and the growth it begins at; null in the last phase. */
  nextPhase: string | null;
  nextThreshold: number | null;
}

export interface SeedClient {
  /**
   * Creates the seed type, or replaces the phases of an existing one (idempotent upsert:
   * the same call twice changes nothing). `invalid` for no phases, duplicate names or
   * thresholds, or negative thresholds.
   */
  registerType(input: { gameServiceId: string; code: string; phases: SeedPhase[] }): Promise<SeedType>;
  /** `not_found` when the seed type is not registered; `conflict` when the owner already has a seed of it. */
  create(
    input: { ownerId: string; ownerType: string; gameServiceId: string; seedTypeCode: string },
    idempotencyKey: string,
  ): Promise<SeedInfo>;
  /** The owner's seeds (of one type and / or game service when given), sorted by seed type code. */
  getByOwner(input: { ownerId: string; ownerType: string; seedTypeCode?: string; gameServiceId?: string }): Promise<SeedInfo[]>;
  /**
   * Adds `amount` (> 0, rounded to 4 decimal places) to the seed's total growth atomically;
   * `domain` and `source` describe the growth (e.g. `enchanting`, `craft:<sessionId>`).
   * Returns the seed after it, with the phase before it (a change = a phase reached).
   */
  recordGrowth(
    input: { seedId: string; domain: string; amount: number; source: string },
    idempotencyKey: string,
  ): Promise<SeedInfo & { previousPhase: string }>;
  /** `not_found` for an unknown seed. */
  getPhase(seedId: string): Promise<SeedPhaseInfo>;
}
