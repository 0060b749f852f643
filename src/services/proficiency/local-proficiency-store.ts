import { levelFor, phaseFor, type PhaseThreshold } from '../../domain/proficiency/levels.js';
import type { Clock, IdGenerator, Tx } from '../ports.js';
import type { EntityRef, ProficiencyKey, ProficiencyRecord } from './proficiency-model.js';
import type { ProficiencyRepository } from './proficiency-repository.js';
import { roundExperience, type ExperienceChange, type ProficiencyStore, type StoredProficiency } from './proficiency-store.js';

export interface LocalProficiencyStoreDeps {
  repo: ProficiencyRepository;
  clock: Clock;
  ids: IdGenerator;
  settings: { levelExperienceBase: number; maxProficiencyLevel: number; phaseThresholds: PhaseThreshold[] };
}

/**
 * CRAFT_PROFICIENCY_SOURCE=local: the `Proficiency` table, one row per (game service,
 * entity, domain). Writes run in the caller's transaction on the row locked for it, so
 * the experience event commits with the experience. Experience is kept to 6 decimals;
 * `set` may lower it. Phase and level are derived from experience with the current
 * config when read (the row's level and phase columns are as last written).
 */
export class LocalProficiencyStore implements ProficiencyStore {
  readonly source = 'local' as const;
  readonly transactional = true;
  readonly decimals = 6;

  constructor(private readonly d: LocalProficiencyStoreDeps) {}

  async find(key: ProficiencyKey): Promise<StoredProficiency | null> {
    const row = await this.d.repo.find(key);
    return row ? this.stored(row) : null;
  }

  async list(gameServiceId: string, entity: EntityRef, limit: number): Promise<StoredProficiency[]> {
    return (await this.d.repo.listForEntity(gameServiceId, entity, limit)).map((r) => this.stored(r));
  }

  add(tx: Tx | null, key: ProficiencyKey, amount: number): Promise<ExperienceChange> {
    return this.apply(tx, key, (current) => current + amount);
  }

  setTotal(tx: Tx | null, key: ProficiencyKey, target: number): Promise<ExperienceChange> {
    return this.apply(tx, key, () => target);
  }

  async registerDomains(): Promise<void> {
    // Nothing to register: any domain a recipe uses is valid here.
  }

  /** Locks (or creates) the row, computes the new experience from the locked value, writes it. */
  private async apply(tx: Tx | null, key: ProficiencyKey, next: (current: number) => number): Promise<ExperienceChange> {
    if (!tx) throw new Error('the local proficiency store writes in the caller transaction');
    const { phaseThresholds } = this.d.settings;
    const now = this.d.clock.now();
    const row = await this.d.repo.lockOrCreate(tx, key, { id: this.d.ids.uuid(), initialPhase: phaseFor(0, phaseThresholds), now });
    const previousExperience = row.experience;
    const newExperience = roundExperience(next(previousExperience), this.decimals);
    const newPhase = phaseFor(newExperience, phaseThresholds);
    await this.d.repo.write(tx, row.id, { experience: newExperience, level: this.levelFor(newExperience), phase: newPhase, now });
    return {
      at: now,
      recordId: row.id,
      previousExperience,
      newExperience,
      previousPhase: phaseFor(previousExperience, phaseThresholds),
      newPhase,
    };
  }

  private stored(row: ProficiencyRecord): StoredProficiency {
    return { domain: row.domain, experience: row.experience, phase: phaseFor(row.experience, this.d.settings.phaseThresholds) };
  }

  private levelFor(experience: number) {
    return levelFor(experience, this.d.settings.levelExperienceBase, this.d.settings.maxProficiencyLevel);
  }
}
