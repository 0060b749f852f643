import { randomUUID } from 'node:crypto';
import { ClientError } from '../../clients/errors.js';
import type { SeedClient, SeedInfo } from '../../clients/seed-client.js';
import { CraftError } from '../../domain/errors.js';
import type { PhaseThreshold } from '../../domain/proficiency/levels.js';
import type { Clock, Tx } from '../ports.js';
import type { EntityRef, ProficiencyKey } from './proficiency-model.js';
import {
  MAX_EXPERIENCE,
  roundExperience,
  type ExperienceChange,
  type ProficiencyStore,
  type StoredProficiency,
  type StoreWrite,
} from './proficiency-store.js';

/** Seed type of a crafting domain: `proficiency:<domain>`, registered per game service. */
export const SEED_TYPE_PREFIX = 'proficiency:';

export function seedTypeCode(domain: string): string {
  return `${SEED_TYPE_PREFIX}${domain}`;
}

export interface SeedProficiencyStoreDeps {
  seed: SeedClient;
  clock: Clock;
  settings: { phaseThresholds: PhaseThreshold[] };
}

/** Seed types this process registered, remembered so a grant does not register again (bounded). */
const MAX_REMEMBERED_TYPES = 10_000;

/**
 * CRAFT_PROFICIENCY_SOURCE=seed: proficiency is lib-seed growth. One seed per (entity,
 * game service, domain), owned by the entity (ownerId / ownerType = entityId / entityType),
 * of seed type `proficiency:<domain>` whose phases are CRAFT_PHASE_THRESHOLDS. Experience
 * is the seed's total growth (4 decimal places, reported capped at MAX_EXPERIENCE), the
 * phase is the seed's phase.
 *
 * - Writes go to the seed service, outside any database transaction (`tx` is ignored),
 *   each under the caller's idempotency key: a repeated call is answered with the first
 *   result, so a retried session completion records its growth once.
 * - The seed only grows: setTotal records the difference as growth and refuses to lower
 *   (VALIDATION_FAILED). It reads the total first, so a grant landing between that read
 *   and the growth makes the total end above the target.
 * - Seed types are registered (idempotent upsert) when recipes name a domain
 *   (registerDomains) and on demand before a seed is created.
 * - The seed service unreachable (ClientError `unavailable`) becomes CraftError
 *   DEPENDENCY_UNAVAILABLE `{dependency: 'seed'}`; ProficiencyService applies the fallback.
 */
export class SeedProficiencyStore implements ProficiencyStore {
  readonly source = 'seed' as const;
  readonly transactional = false;
  readonly decimals = 4;
  /** `gameServiceId \0 domain` -> registration (in flight or done). Failed ones are forgotten. */
  private readonly registered = new Map<string, Promise<void>>();

  constructor(private readonly d: SeedProficiencyStoreDeps) {}

  async find(key: ProficiencyKey): Promise<StoredProficiency | null> {
    const seed = await this.seedOf(key).catch(rethrow);
    return seed ? stored(key.domain, seed) : null;
  }

  async list(gameServiceId: string, entity: EntityRef, limit: number): Promise<StoredProficiency[]> {
    const seeds = await this.d.seed
      .getByOwner({ ownerId: entity.entityId, ownerType: entity.entityType, gameServiceId })
      .catch(rethrow);
    // Sorted by seed type code, hence by domain; the entity's other seeds are not proficiency.
    return seeds
      .filter((s) => s.gameServiceId === gameServiceId && s.seedTypeCode.startsWith(SEED_TYPE_PREFIX) && s.seedTypeCode.length > SEED_TYPE_PREFIX.length)
      .slice(0, limit)
      .map((s) => stored(s.seedTypeCode.slice(SEED_TYPE_PREFIX.length), s));
  }

  async add(_tx: Tx | null, key: ProficiencyKey, amount: number, write: StoreWrite): Promise<ExperienceChange> {
    const growth = roundExperience(amount, this.decimals);
    const seed = await this.ensureSeed(key);
    if (!(growth > 0)) return unchanged(this.d.clock.now(), seed);
    return this.grow(seed.seedId, key.domain, growth, write);
  }

  async setTotal(_tx: Tx | null, key: ProficiencyKey, target: number, write: StoreWrite): Promise<ExperienceChange> {
    const seed = await this.ensureSeed(key);
    const current = seed.totalGrowth;
    const wanted = roundExperience(target, this.decimals);
    if (wanted < current) {
      throw new CraftError(
        'VALIDATION_FAILED',
        `proficiency lives in the seed service (CRAFT_PROFICIENCY_SOURCE=seed), where experience only grows: cannot lower it from ${current} to ${target}`,
        { currentExperience: current, targetValue: target },
      );
    }
    const growth = roundExperience(wanted - current, this.decimals);
    if (!(growth > 0)) return unchanged(this.d.clock.now(), seed);
    return this.grow(seed.seedId, key.domain, growth, write);
  }

  async registerDomains(gameServiceId: string, domains: string[]): Promise<void> {
    await Promise.all([...new Set(domains)].map((domain) => this.ensureType(gameServiceId, domain))).catch(rethrow);
  }

  /** Records growth; one retry under the same key when the service seemed down (it may have applied the first). */
  private async grow(seedId: string, domain: string, growth: number, write: StoreWrite): Promise<ExperienceChange> {
    const input = { seedId, domain, amount: growth, source: write.source };
    const grown = await this.d.seed
      .recordGrowth(input, write.idempotencyKey)
      .catch((err: unknown) => {
        if (err instanceof ClientError && err.kind === 'unavailable') return this.d.seed.recordGrowth(input, write.idempotencyKey);
        throw err;
      })
      .catch(rethrow);
    return {
      at: this.d.clock.now(),
      recordId: grown.seedId,
      previousExperience: roundExperience(grown.totalGrowth - growth, this.decimals),
      newExperience: roundExperience(grown.totalGrowth, this.decimals),
      previousPhase: grown.previousPhase,
      newPhase: grown.phase,
    };
  }

  private async seedOf(key: ProficiencyKey): Promise<SeedInfo | null> {
    const seeds = await this.d.seed.getByOwner({
      ownerId: key.entityId,
      ownerType: key.entityType,
      seedTypeCode: seedTypeCode(key.domain),
      gameServiceId: key.gameServiceId,
    });
    return seeds[0] ?? null;
  }

  /** The key's seed, created (its type registered first) when missing. */
  private async ensureSeed(key: ProficiencyKey): Promise<SeedInfo> {
    try {
      const found = await this.seedOf(key);
      if (found) return found;
      await this.ensureType(key.gameServiceId, key.domain);
      for (let attempt = 1; ; attempt++) {
        try {
          return await this.d.seed.create(
            { ownerId: key.entityId, ownerType: key.entityType, gameServiceId: key.gameServiceId, seedTypeCode: seedTypeCode(key.domain) },
            `craft:proficiency-seed:${randomUUID()}`,
          );
        } catch (err) {
          if (!(err instanceof ClientError) || attempt >= 3) throw err;
          if (err.kind === 'conflict') {
            // A concurrent request (or an earlier try whose answer got lost) created it.
            const again = await this.seedOf(key);
            if (again) return again;
          } else if (err.kind === 'not_found') {
            // The seed type is gone although this process registered it: register again.
            this.registered.delete(typeKey(key.gameServiceId, key.domain));
            await this.ensureType(key.gameServiceId, key.domain);
          } else if (err.kind !== 'unavailable' || attempt >= 2) {
            throw err;
          }
        }
      }
    } catch (err) {
      return rethrow(err);
    }
  }

  private ensureType(gameServiceId: string, domain: string): Promise<void> {
    const k = typeKey(gameServiceId, domain);
    const known = this.registered.get(k);
    if (known) return known;
    if (this.registered.size >= MAX_REMEMBERED_TYPES) this.registered.clear();
    const phases = this.d.settings.phaseThresholds.map((p) => ({ name: p.name, threshold: p.threshold }));
    const registration = this.d.seed.registerType({ gameServiceId, code: seedTypeCode(domain), phases }).then(() => undefined);
    this.registered.set(k, registration);
    registration.catch(() => {
      if (this.registered.get(k) === registration) this.registered.delete(k);
    });
    return registration;
  }
}

function typeKey(gameServiceId: string, domain: string) {
  return `${gameServiceId}\u0000${domain}`;
}

function stored(domain: string, seed: SeedInfo): StoredProficiency {
  return { domain, experience: Math.min(MAX_EXPERIENCE, seed.totalGrowth), phase: seed.phase };
}

function unchanged(at: Date, seed: SeedInfo): ExperienceChange {
  const experience = Math.min(MAX_EXPERIENCE, seed.totalGrowth);
  return { at, recordId: seed.seedId, previousExperience: experience, newExperience: experience, previousPhase: seed.phase, newPhase: seed.phase };
}

/**
 * The seed service unreachable -> CraftError DEPENDENCY_UNAVAILABLE `{dependency: 'seed'}`;
 * any other refusal is a fault of ours (500), with the seed's message.
 */
function rethrow(err: unknown): never {
  if (err instanceof ClientError) {
    if (err.kind === 'unavailable') {
      throw new CraftError('DEPENDENCY_UNAVAILABLE', 'the seed service (proficiency) is unavailable; retry later', { dependency: 'seed' });
    }
    throw new Error(`the seed service refused a proficiency call (${err.kind}): ${err.message}`, { cause: err });
  }
  throw err;
}
