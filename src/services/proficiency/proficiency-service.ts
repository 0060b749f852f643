import type { Scope } from '../scope.js';
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
import type { EntityRef, ProficiencyInfo, ProficiencyKey } from './proficiency-model.js';
import type { ProficiencyRepository } from './proficiency-repository.js';
import { roundExperience, type ExperienceChange, type ProficiencyStore, type StoredProficiency } from './proficiency-store.js';
import { requireActiveGameService } from '../game-service-access.js';

export interface ProficiencySettings {
  /** CRAFT_MAX_PROFICIENCY_LEVEL: levels are capped here. */
  maxProficiencyLevel: number;
  /** CRAFT_LEVEL_EXPERIENCE_BASE: level L takes base * L^2 total experience. */
  levelExperienceBase: number;
  /** CRAFT_PHASE_THRESHOLDS: phase by total experience, increasing, first at 0. */
  phaseThresholds: PhaseThreshold[];
  /** CRAFT_EXPERIENCE_SCALING_FACTOR: multiplies crafting grants (grantInTx), not manual ones. */
  experienceScalingFactor: number;
  /** Seed fallback: at most one "proficiency checks skipped" warning per this many ms (default 60 000). */
  checksSkippedWarningIntervalMs?: number;
}

export interface ProficiencyServiceDeps {
  /** Where experience lives: LocalProficiencyStore or SeedProficiencyStore (CRAFT_PROFICIENCY_SOURCE). */
  store: ProficiencyStore;
  /** Recipes decide which domains exist (grant / set accept only those). */
  domains: Pick<ProficiencyRepository, 'domainInUse'>;
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
  /**
   * Identifies this grant (session completion derives it from the session). The local
   * store does not need it (the grant commits or rolls back with the caller's transaction);
   * the seed store requires it: the seed service records the growth once per key, so a
   * retried completion transaction does not grow the seed twice.
   */
  idempotencyKey?: string;
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

/** ProficiencyInfo lists at most this many domains. */
const MAX_LISTED = 1000;
const DEFAULT_WARNING_INTERVAL_MS = 60_000;

/**
 * Proficiency: an entity's experience per domain of a game service, with level and
 * phase derived from it (src/domain/proficiency/levels.ts).
 *
 * Source of record (CRAFT_PROFICIENCY_SOURCE): the store it is given. `local`: the
 * `Proficiency` table, written in the same transaction as the events. `seed` (default):
 * lib-seed, one `proficiency:<domain>` seed per entity and domain; experience is the
 * seed's total growth, the phase the seed's phase (see SeedProficiencyStore).
 *
 * Seed service unavailable (the seed document's fallback for a missing lib-seed):
 * - proficiency checks skip: levelOf / levels answer CRAFT_MAX_PROFICIENCY_LEVEL for
 *   every domain, so every requirement is met (a warning at most once per interval);
 * - crafting experience is not granted: grantInTx returns no events (warning per grant),
 *   the session still completes;
 * - get / list / grant / set answer 503 DEPENDENCY_UNAVAILABLE `{dependency: 'seed'}`.
 *
 * Experience scaling: manual grants (grant, set) are taken as given; crafting grants
 * (grantInTx, called by session completion) are multiplied by
 * CRAFT_EXPERIENCE_SCALING_FACTOR, the seed's "global experience multiplier" for play.
 */
export class ProficiencyService {
  private lastChecksSkippedWarning = Number.NEGATIVE_INFINITY;

  constructor(private readonly d: ProficiencyServiceDeps) {}

  /** PROFICIENCY_NOT_FOUND (404) when the entity never had a record in the domain. */
  async get(scope: Scope, gameServiceId: string, entity: EntityRef, domain: string): Promise<ProficiencyInfo> {
    const found = scope.allows(gameServiceId) ? await this.d.store.find(keyOf(gameServiceId, entity, domain)) : null;
    if (!found) {
      throw new CraftError('PROFICIENCY_NOT_FOUND', 'the entity has no proficiency in this domain', {
        gameServiceId,
        entityId: entity.entityId,
        entityType: entity.entityType,
        domain,
      });
    }
    return this.info(found);
  }

  /** Every domain the entity has a record in, sorted by domain (empty when none). */
  async list(scope: Scope, gameServiceId: string, entity: EntityRef): Promise<ProficiencyInfo[]> {
    if (!scope.allows(gameServiceId)) return [];
    return this.recordsOf(gameServiceId, entity);
  }

  private async recordsOf(gameServiceId: string, entity: EntityRef): Promise<ProficiencyInfo[]> {
    const found = await this.d.store.list(gameServiceId, entity, MAX_LISTED);
    return found.map((r) => this.info(r));
  }

  /**
   * The entity's current level in the domain; 0 when it has none (used by session start).
   * Seed service unavailable: CRAFT_MAX_PROFICIENCY_LEVEL (checks skip).
   */
  async levelOf(gameServiceId: string, entity: EntityRef, domain: string): Promise<number> {
    try {
      const found = await this.d.store.find(keyOf(gameServiceId, entity, domain));
      return found ? this.levelFor(found.experience) : 0;
    } catch (err) {
      if (!isStoreUnavailable(err)) throw err;
      this.warnChecksSkipped(err);
      return this.d.settings.maxProficiencyLevel;
    }
  }

  /**
   * Level per domain the entity has a record in (craftability assessments). Seed service
   * unavailable: a map answering CRAFT_MAX_PROFICIENCY_LEVEL for every domain (checks skip).
   */
  async levels(gameServiceId: string, entity: EntityRef): Promise<Map<string, number>> {
    try {
      return new Map((await this.recordsOf(gameServiceId, entity)).map((p) => [p.domain, p.level]));
    } catch (err) {
      if (!isStoreUnavailable(err)) throw err;
      this.warnChecksSkipped(err);
      return new EveryDomainAt(this.d.settings.maxProficiencyLevel);
    }
  }

  /**
   * Manual grant (quests, training, tests): validates game service and domain, adds
   * `amount` unscaled, publishes `craft.proficiency.gained` (+ `leveled` when the
   * level changed). newPhase is reported when the level or the phase changed.
   * Seed store: recorded under a key fresh per call (no Idempotency-Key header yet).
   */
  async grant(scope: Scope, gameServiceId: string, entity: EntityRef, domain: string, amount: number): Promise<GrantResult> {
    await this.requireDomain(scope, gameServiceId, domain);
    const key = keyOf(gameServiceId, entity, domain);
    const write = { idempotencyKey: `craft:proficiency:grant:${this.d.ids.uuid()}`, source: 'craft:proficiency:grant' };
    const change = await this.write(
      (tx) => this.d.store.add(tx, key, amount, write),
      (c) => this.eventsFor(key, this.describe(c)),
    );
    const c = this.describe(change);
    return {
      newExperience: c.newExperience,
      levelChanged: c.levelChanged,
      newLevel: c.levelChanged ? c.newLevel : null,
      newPhase: c.levelChanged || c.phaseChanged ? c.newPhase : null,
    };
  }

  /**
   * Sets total experience (administration); level and phase follow. Publishes
   * `craft.proficiency.leveled` when the level changed (no `gained`). Local store: may go
   * down. Seed store: the difference is recorded as growth; lowering answers
   * VALIDATION_FAILED (a seed only grows).
   */
  async set(scope: Scope, gameServiceId: string, entity: EntityRef, domain: string, targetValue: number): Promise<ProficiencyInfo> {
    await this.requireDomain(scope, gameServiceId, domain);
    const key = keyOf(gameServiceId, entity, domain);
    const write = { idempotencyKey: `craft:proficiency:set:${this.d.ids.uuid()}`, source: 'craft:proficiency:set' };
    const change = await this.write(
      (tx) => this.d.store.setTotal(tx, key, targetValue, write),
      (raw) => {
        const c = this.describe(raw);
        return c.levelChanged
          ? [proficiencyLeveledEvent(key, { newLevel: c.newLevel, newPhase: c.newPhase }, this.d.ids.uuid(), c.at)]
          : [];
      },
    );
    return this.info({ domain, experience: change.newExperience, phase: change.newPhase });
  }

  /**
   * Crafting grant inside the caller's transaction (session completion). Adds
   * amount x CRAFT_EXPERIENCE_SCALING_FACTOR and returns the outbox events WITHOUT
   * writing them: the caller adds them to its own outbox batch. Local store: the row is
   * written in (and locked until the end of) the caller's transaction. Seed store: the
   * growth is recorded in the seed service under `idempotencyKey` (required), once
   * however often the caller's transaction is retried; seed service unavailable: nothing
   * is granted and no events are returned (the caller carries on).
   * No game-service / domain validation: the domain comes from a recipe. A scaled amount
   * of 0 writes nothing and emits nothing.
   */
  async grantInTx(tx: Tx, input: GrantInTxInput): Promise<GrantInTxResult> {
    const { amount, idempotencyKey, ...key } = input;
    const store = this.d.store;
    if (!store.transactional && !idempotencyKey) {
      throw new Error(`grantInTx needs an idempotencyKey with CRAFT_PROFICIENCY_SOURCE=${store.source}`);
    }
    const experienceAmount = roundExperience(amount * this.d.settings.experienceScalingFactor, store.decimals);
    try {
      if (!(experienceAmount > 0)) {
        const found = await store.find(key);
        return this.unchangedResult(found?.experience ?? 0, found?.phase);
      }
      const write = {
        idempotencyKey: idempotencyKey ?? `craft:proficiency:grant:${this.d.ids.uuid()}`,
        source: idempotencyKey && idempotencyKey.length <= 200 ? idempotencyKey : 'craft:crafting',
      };
      const c = this.describe(await store.add(tx, key, experienceAmount, write));
      return {
        experienceAmount: c.amount,
        newExperience: c.newExperience,
        previousLevel: c.previousLevel,
        levelChanged: c.levelChanged,
        newLevel: c.newLevel,
        phaseChanged: c.phaseChanged,
        newPhase: c.newPhase,
        events: c.amount > 0 || store.transactional ? this.eventsFor(key, c) : [],
      };
    } catch (err) {
      if (!isStoreUnavailable(err)) throw err;
      // The seed document: lib-seed missing => experience not granted. Crafting goes on.
      // (Should the seed have applied the growth before its answer was lost, twice in a row,
      // the growth stays without its events.)
      this.d.log.warn(
        { ...key, experienceAmount, idempotencyKey, dependency: 'seed', reason: err.message },
        'seed service unavailable: crafting experience not granted',
      );
      return this.unchangedResult(0);
    }
  }

  /** Seed store: registers the `proficiency:<domain>` seed types of a game service; no-op for the local store. */
  registerDomains(gameServiceId: string, domains: string[]): Promise<void> {
    return this.d.store.registerDomains(gameServiceId, domains);
  }

  /**
   * Applies a change and records its events. Local store: both in one transaction.
   * Seed store: the seed service records the change (outside any transaction), then the
   * events are written; should that write fail, the growth stays without its events.
   */
  private async write(
    change: (tx: Tx | null) => Promise<ExperienceChange>,
    eventsOf: (c: ExperienceChange) => OutboxEventInput[],
  ): Promise<ExperienceChange> {
    let events: OutboxEventInput[] = [];
    let result: ExperienceChange;
    if (this.d.store.transactional) {
      result = await this.d.uow.run(async (tx) => {
        const c = await change(tx);
        events = eventsOf(c);
        if (events.length > 0) await this.d.outbox.add(tx, events);
        return c;
      });
    } else {
      result = await change(null);
      events = eventsOf(result);
      if (events.length > 0) await this.d.uow.run((tx) => this.d.outbox.add(tx, events));
    }
    if (events.length > 0) this.d.outbox.kick();
    return result;
  }

  /** Levels, phases and the amount of a store change, derived with the current config. */
  private describe(c: ExperienceChange) {
    const previousLevel = this.levelFor(c.previousExperience);
    const newLevel = this.levelFor(c.newExperience);
    return {
      at: c.at,
      amount: roundExperience(c.newExperience - c.previousExperience, this.d.store.decimals),
      newExperience: c.newExperience,
      previousLevel,
      newLevel,
      levelChanged: newLevel !== previousLevel,
      newPhase: c.newPhase,
      phaseChanged: c.newPhase !== c.previousPhase,
    };
  }

  private unchangedResult(experience: number, phase?: string): GrantInTxResult {
    const level = this.levelFor(experience);
    return {
      experienceAmount: 0,
      newExperience: experience,
      previousLevel: level,
      levelChanged: false,
      newLevel: level,
      phaseChanged: false,
      newPhase: phase ?? phaseFor(experience, this.d.settings.phaseThresholds),
      events: [],
    };
  }

  private eventsFor(key: ProficiencyKey, c: ReturnType<ProficiencyService['describe']>): OutboxEventInput[] {
    const events = [proficiencyGainedEvent(key, c.amount, this.d.ids.uuid(), c.at)];
    if (c.levelChanged) {
      events.push(proficiencyLeveledEvent(key, { newLevel: c.newLevel, newPhase: c.newPhase }, this.d.ids.uuid(), c.at));
    }
    return events;
  }

  private info(p: StoredProficiency): ProficiencyInfo {
    const s = this.d.settings;
    return {
      domain: p.domain,
      level: this.levelFor(p.experience),
      experience: p.experience,
      phase: p.phase,
      experienceForNextLevel: experienceForNextLevel(p.experience, s.levelExperienceBase, s.maxProficiencyLevel),
    };
  }

  private levelFor(experience: number): number {
    return levelFor(experience, this.d.settings.levelExperienceBase, this.d.settings.maxProficiencyLevel);
  }

  private warnChecksSkipped(err: Error) {
    const now = this.d.clock.now().getTime();
    const interval = this.d.settings.checksSkippedWarningIntervalMs ?? DEFAULT_WARNING_INTERVAL_MS;
    if (now - this.lastChecksSkippedWarning < interval) return;
    this.lastChecksSkippedWarning = now;
    this.d.log.warn(
      { dependency: 'seed', reason: err.message, answeredLevel: this.d.settings.maxProficiencyLevel },
      'seed service unavailable: proficiency checks skipped (every requirement counts as met)',
    );
  }

  /** A game service outside the scope is unknown, like one that does not exist. */
  private async requireDomain(scope: Scope, gameServiceId: string, domain: string) {
    await requireActiveGameService(this.d.gameServices, scope, gameServiceId);
    if (!(await this.d.domains.domainInUse(gameServiceId, domain))) {
      throw new CraftError('DOMAIN_UNKNOWN', 'no recipe of the game service uses this proficiency domain', {
        gameServiceId,
        domain,
      });
    }
  }
}

/** The store's backing is unreachable (seed service down): the fallback applies. */
function isStoreUnavailable(err: unknown): err is CraftError {
  return err instanceof CraftError && err.code === 'DEPENDENCY_UNAVAILABLE';
}

/** Every domain at one level (seed fallback: every proficiency requirement is met). */
class EveryDomainAt extends Map<string, number> {
  constructor(private readonly level: number) {
    super();
  }

  override get(): number {
    return this.level;
  }

  override has(): boolean {
    return true;
  }
}

function keyOf(gameServiceId: string, entity: EntityRef, domain: string): ProficiencyKey {
  return { gameServiceId, entityId: entity.entityId, entityType: entity.entityType, domain };
}
