import type { Tx } from '../ports.js';
import type { EntityRef, ProficiencyKey } from './proficiency-model.js';

/**
 * Where proficiency lives (CRAFT_PROFICIENCY_SOURCE): the local `Proficiency` table
 * (LocalProficiencyStore) or one lib-seed seed per (entity, game service, domain)
 * (SeedProficiencyStore). ProficiencyService holds everything else (validation, levels,
 * events, the seed fallback); a store only keeps total experience and the phase.
 *
 * A store that cannot reach its backing throws CraftError DEPENDENCY_UNAVAILABLE with
 * details `{dependency: <name>}`; ProficiencyService decides what that means per operation.
 */
export interface ProficiencyStore {
  /** The value of CRAFT_PROFICIENCY_SOURCE it implements. */
  readonly source: 'local' | 'seed';
  /**
   * true: add/setTotal write in the `tx` they are given (events go in the same transaction).
   * false: they write elsewhere (another service) and ignore `tx`; the caller records events
   * after the change returned.
   */
  readonly transactional: boolean;
  /** Decimal places experience is kept to. */
  readonly decimals: number;

  find(key: ProficiencyKey): Promise<StoredProficiency | null>;
  /** All of an entity's proficiencies in a game service, sorted by domain (at most `limit`). */
  list(gameServiceId: string, entity: EntityRef, limit: number): Promise<StoredProficiency[]>;
  /**
   * Adds `amount` (> 0) to the key's experience, creating the record when missing; the
   * store rounds to its `decimals`. A store writing elsewhere applies `write.idempotencyKey`
   * once and answers a repeated call with the first result.
   */
  add(tx: Tx | null, key: ProficiencyKey, amount: number, write: StoreWrite): Promise<ExperienceChange>;
  /** Sets total experience, creating the record when missing (see each store for what it allows). */
  setTotal(tx: Tx | null, key: ProficiencyKey, target: number, write: StoreWrite): Promise<ExperienceChange>;
  /**
   * Makes sure the backing knows the domains of a game service (seed: the `proficiency:<domain>`
   * seed types). No-op for the local store.
   */
  registerDomains(gameServiceId: string, domains: string[]): Promise<void>;
}

/** How a write is identified to a store writing elsewhere (the seed service). */
export interface StoreWrite {
  /** Applied once: the same key again answers the first result. */
  idempotencyKey: string;
  /** What caused the change (seed growth `source`), e.g. `craft:<session>:xp:<domain>:<entity>`. */
  source: string;
}

export interface StoredProficiency {
  domain: string;
  experience: number;
  /** The phase the store reports (local: from the configured thresholds; seed: the seed's phase). */
  phase: string;
}

/** A write's before and after. */
export interface ExperienceChange {
  at: Date;
  /** Local store: the row id; seed store: the seed id. */
  recordId: string;
  previousExperience: number;
  newExperience: number;
  previousPhase: string;
  newPhase: string;
}

/** The spec's ceiling on total experience (ProficiencyInfo.experience); experience saturates there. */
export const MAX_EXPERIENCE = 1_000_000_000_000;

/**
 * Experience rounded to `decimals` places (float sums of small grants stay clean:
 * 0.1 + 0.2 = 0.3) and kept within [0, MAX_EXPERIENCE].
 */
export function roundExperience(x: number, decimals: number): number {
  const scale = 10 ** decimals;
  return Math.min(MAX_EXPERIENCE, Math.max(0, Math.round(x * scale) / scale));
}
