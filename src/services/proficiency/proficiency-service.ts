import { CraftError } from '../../domain/errors.js';
import {
  experienceForNextLevel,
  levelFor,
  phaseFor,
  type PhaseThreshold,
} from '../../domain/proficiency/levels.js';
import type { GameServiceClient } from '../../clients/game-service-client.js';
import type { Clock, IdGenerator, Logger, Outbox, OutboxEventInput, Tx, UnitOfWork } from '../ports.js';
import { proficiencyGainedEvent, proficiencyLeveledEvent } from './proficiency-events.js';
import type { EntityRef, ProficiencyInfo, ProficiencyKey, ProficiencyRecord } from './proficiency-model.js';
import type { ProficiencyRepository } from './proficiency-repository.js';

export interface ProficiencySettings {
  /** CRAFT_MAX_PROFICIENCY_LEVEL: levels are capped here. */
  maxProficiencyLevel: number;
  /** CRAFT_LEVEL_EXPERIENCE_BASE: level L takes base * L^2 total experience. */
  levelExperienceBase: number;
  /** CRAFT_PHASE_THRESHOLDS: phase by total experience, increasing, first at 0. */
  phaseThresholds: PhaseThreshold[];
  /** CRAFT_EXPERIENCE_SCALING_FACTOR: multiplies crafting grants (grantInTx), not manual ones. */
  experienceScalingFactor: number;
}

export interface ProficiencyServiceDeps {
  repo: ProficiencyRepository;
  uow: UnitOfWork;
  outbox: Outbox;
  gameServices: GameServiceClient;
  clock: Clock;
  ids: IdGenerator;
  log: Logger;
  settings: ProficiencySettings;
}

/** What grant answers (GrantProficiencyResponse): newLevel / newPhase are null when unchanged. */
export interface GrantResult {
  newExperience: number;
  levelChanged: boolean;
  newLevel: number | null;
  newPhase: string | null;
}

export interface GrantInTxInput extends ProficiencyKey {
  /** Unscaled experience, e.g. a recipe's baseExperience (+ firstCraftBonus); grantInTx applies the scaling factor. */
  amount: number;
}

/** What grantInTx reports back to the session service; level and phase are always given. */
export interface GrantInTxResult {
  /** Experience actually added (amount x CRAFT_EXPERIENCE_SCALING_FACTOR); 0 means nothing was written. */
  experienceAmount: number;
  newExperience: number;
  previousLevel: number;
  levelChanged: boolean;
  newLevel: number;
  phaseChanged: boolean;
  newPhase: string;
  /** Outbox rows for the caller to add to its batch in the same transaction (not yet written). */
  events: OutboxEventInput[];
}

/** The spec's ceiling on total experience (ProficiencyInfo.experience); experience saturates there. */
const MAX_EXPERIENCE = 1_000_000_000_000;
/** ProficiencyInfo lists at most this many domains. */
const MAX_LISTED = 1000;

/** Experience is kept to 6 decimals so float sums of small grants stay clean (0.1 + 0.2 = 0.3). */
function roundXp(x: number): number {
  return Math.min(MAX_EXPERIENCE, Math.max(0, Math.round(x * 1e6) / 1e6));
}

/**
 * Proficiency: an entity's experience per domain of a game service, with level and
 * phase derived from it (src/domain/proficiency/levels.ts).
 *
 * Source of record: the local `Proficiency` table. The seed names lib-seed as the
 * default backing (CRAFT_PROFICIENCY_SOURCE=seed); until the seed client and its stub
 * exist, the local store serves both values of that setting. The seed backing will
 * then replace the repository calls here, with this class's API unchanged.
 *
 * Experience scaling: manual grants (grant, set) are taken as given; crafting grants
 * (grantInTx, called by session completion) are multiplied by
 * CRAFT_EXPERIENCE_SCALING_FACTOR, the seed's "global experience multiplier" for play.
 */
export class ProficiencyService {
  constructor(private readonly d: ProficiencyServiceDeps) {}

  /** PROFICIENCY_NOT_FOUND (404) when the entity never had a record in the domain. */
  async get(gameServiceId: string, entity: EntityRef, domain: string): Promise<ProficiencyInfo> {
    const row = await this.d.repo.find(keyOf(gameServiceId, entity, domain));
    if (!row) {
      throw new CraftError('PROFICIENCY_NOT_FOUND', 'the entity has no proficiency in this domain', {
        gameServiceId,
        entityId: entity.entityId,
        entityType: entity.entityType,
        domain,
      });
    }
    return this.info(row);
  }

  /** Every domain the entity has a record in, sorted by domain (empty when none). */
  async list(gameServiceId: string, entity: EntityRef): Promise<ProficiencyInfo[]> {
    const rows = await this.d.repo.listForEntity(gameServiceId, entity, MAX_LISTED);
    return rows.map((r) => this.info(r));
  }

  /** The entity's current level in the domain; 0 when it has none (used by session start). */
  async levelOf(gameServiceId: string, entity: EntityRef, domain: string): Promise<number> {
    const row = await this.d.repo.find(keyOf(gameServiceId, entity, domain));
    return row ? this.levelFor(row.experience) : 0;
  }

  /**
   * Manual grant (quests, training, tests): validates game service and domain, adds
   * `amount` unscaled, publishes `craft.proficiency.gained` (+ `leveled` when the
   * level changed). newPhase is reported when the level or the phase changed.
   */
  async grant(gameServiceId: string, entity: EntityRef, domain: string, amount: number): Promise<GrantResult> {
    await this.requireDomain(gameServiceId, domain);
    const key = keyOf(gameServiceId, entity, domain);
    const result = await this.d.uow.run(async (tx) => {
      const change = await this.apply(tx, key, (current) => current + amount);
      const events = this.eventsFor(key, change);
      await this.d.outbox.add(tx, events);
      return change;
    });
    this.d.outbox.kick();
    return {
      newExperience: result.newExperience,
      levelChanged: result.levelChanged,
      newLevel: result.levelChanged ? result.newLevel : null,
      newPhase: result.levelChanged || result.phaseChanged ? result.newPhase : null,
    };
  }

  /**
   * Sets total experience (administration); level and phase follow, and may go down.
   * Publishes `craft.proficiency.leveled` when the level changed (no `gained`).
   */
  async set(gameServiceId: string, entity: EntityRef, domain: string, targetValue: number): Promise<ProficiencyInfo> {
    await this.requireDomain(gameServiceId, domain);
    const key = keyOf(gameServiceId, entity, domain);
    const change = await this.d.uow.run(async (tx) => {
      const c = await this.apply(tx, key, () => targetValue);
      if (c.levelChanged) {
        await this.d.outbox.add(tx, [
          proficiencyLeveledEvent(key, { newLevel: c.newLevel, newPhase: c.newPhase }, this.d.ids.uuid(), c.at),
        ]);
      }
      return c;
    });
    if (change.levelChanged) this.d.outbox.kick();
    return this.info({ ...key, id: change.id, experience: change.newExperience, level: change.newLevel, phase: change.newPhase });
  }

  /**
   * Crafting grant inside the caller's transaction (session completion). Adds
   * amount x CRAFT_EXPERIENCE_SCALING_FACTOR to the row (locked until the caller's
   * transaction ends) and returns the outbox events WITHOUT writing them: the caller
   * adds them to its own outbox batch. No game-service / domain validation: the
   * domain comes from a recipe. A scaled amount of 0 writes nothing and emits nothing.
   */
  async grantInTx(tx: Tx, input: GrantInTxInput): Promise<GrantInTxResult> {
    const { amount, ...key } = input;
    const experienceAmount = roundXp(amount * this.d.settings.experienceScalingFactor);
    if (!(experienceAmount > 0)) {
      const row = await this.d.repo.find(key);
      const experience = row?.experience ?? 0;
      const level = this.levelFor(experience);
      const phase = phaseFor(experience, this.d.settings.phaseThresholds);
      return {
        experienceAmount: 0,
        newExperience: experience,
        previousLevel: level,
        levelChanged: false,
        newLevel: level,
        phaseChanged: false,
        newPhase: phase,
        events: [],
      };
    }
    const change = await this.apply(tx, key, (current) => current + experienceAmount);
    return {
      experienceAmount: change.amount,
      newExperience: change.newExperience,
      previousLevel: change.previousLevel,
      levelChanged: change.levelChanged,
      newLevel: change.newLevel,
      phaseChanged: change.phaseChanged,
      newPhase: change.newPhase,
      events: this.eventsFor(key, change),
    };
  }

  /** Locks (or creates) the row, computes the new experience from the locked value, writes it. */
  private async apply(tx: Tx, key: ProficiencyKey, next: (current: number) => number) {
    const now = this.d.clock.now();
    const row = await this.d.repo.lockOrCreate(tx, key, {
      id: this.d.ids.uuid(),
      initialPhase: phaseFor(0, this.d.settings.phaseThresholds),
      now,
    });
    const previousExperience = row.experience;
    const newExperience = roundXp(next(previousExperience));
    const previousLevel = this.levelFor(previousExperience);
    const previousPhase = phaseFor(previousExperience, this.d.settings.phaseThresholds);
    const newLevel = this.levelFor(newExperience);
    const newPhase = phaseFor(newExperience, this.d.settings.phaseThresholds);
    await this.d.repo.write(tx, row.id, { experience: newExperience, level: newLevel, phase: newPhase, now });
    return {
      id: row.id,
      at: now,
      amount: roundXp(newExperience - previousExperience),
      newExperience,
      previousLevel,
      newLevel,
      levelChanged: newLevel !== previousLevel,
      newPhase,
      phaseChanged: newPhase !== previousPhase,
    };
  }

  private eventsFor(
    key: ProficiencyKey,
    c: { at: Date; amount: number; levelChanged: boolean; newLevel: number; newPhase: string },
  ): OutboxEventInput[] {
    const events = [proficiencyGainedEvent(key, c.amount, this.d.ids.uuid(), c.at)];
    if (c.levelChanged) {
      events.push(proficiencyLeveledEvent(key, { newLevel: c.newLevel, newPhase: c.newPhase }, this.d.ids.uuid(), c.at));
    }
    return events;
  }

  private info(row: ProficiencyRecord): ProficiencyInfo {
    const s = this.d.settings;
    return {
      domain: row.domain,
      level: this.levelFor(row.experience),
      experience: row.experience,
      phase: phaseFor(row.experience, s.phaseThresholds),
      experienceForNextLevel: experienceForNextLevel(row.experience, s.levelExperienceBase, s.maxProficiencyLevel),
    };
  }

  private levelFor(experience: number): number {
    return levelFor(experience, this.d.settings.levelExperienceBase, this.d.settings.maxProficiencyLevel);
  }

  private async requireDomain(gameServiceId: string, domain: string) {
    const gs = await this.d.gameServices.get({ serviceId: gameServiceId });
    if (!gs || !gs.isActive) {
      throw new CraftError('GAME_SERVICE_NOT_FOUND', 'unknown or inactive game service', { gameServiceId });
    }
    if (!(await this.d.repo.domainInUse(gameServiceId, domain))) {
      throw new CraftError('DOMAIN_UNKNOWN', 'no recipe of the game service uses this proficiency domain', {
        gameServiceId,
        domain,
      });
    }
  }
}

function keyOf(gameServiceId: string, entity: EntityRef, domain: string): ProficiencyKey {
  return { gameServiceId, entityId: entity.entityId, entityType: entity.entityType, domain };
}
