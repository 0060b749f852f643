import type { Tx } from '../ports.js';
import type { EntityRef, ProficiencyKey, ProficiencyRecord } from './proficiency-model.js';

/** Every database call about proficiency. Methods taking `tx` run inside the caller's transaction. */
export interface ProficiencyRepository {
  find(key: ProficiencyKey): Promise<ProficiencyRecord | null>;
  /** All of an entity's proficiencies in a game service, sorted by domain (at most `limit`). */
  listForEntity(gameServiceId: string, entity: EntityRef, limit: number): Promise<ProficiencyRecord[]>;
  /**
   * Returns the row exclusively locked until the transaction ends, first creating it
   * (experience 0, level 0, `initialPhase`) when missing. Race-safe: concurrent callers
   * for one key end up with one row and take turns on its lock, and the values read
   * are the latest committed ones whatever snapshot the transaction already holds.
   */
  lockOrCreate(tx: Tx, key: ProficiencyKey, init: { id: string; initialPhase: string; now: Date }): Promise<ProficiencyRecord>;
  /** Writes new values to a row the transaction holds locked (see lockOrCreate). */
  write(tx: Tx, id: string, values: { experience: number; level: number; phase: string; now: Date }): Promise<void>;
  /**
   * Whether any recipe of the game service (deprecated ones included) uses the domain:
   * as its domain, in a proficiency requirement or in an experience grant.
   */
  domainInUse(gameServiceId: string, domain: string): Promise<boolean>;
}
