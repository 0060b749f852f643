import { canonicalJson } from '../../domain/canonical-json.js';
import { CraftError } from '../../domain/errors.js';
import { compileRuleset, type CompiledRuleset } from '../../domain/rules/compile.js';
import type { RulesetDefinition } from '../../domain/rules/ruleset.js';
import type { GameServiceClient } from '../../clients/game-service-client.js';
import type { Clock, IdGenerator, Tx, UnitOfWork } from '../ports.js';
import type { Scope } from '../scope.js';
import type { RulesetDefinitionInput, RulesetInfo, RulesetListFilter, SeededRuleset } from './ruleset-model.js';
import type { RulesetRepository } from './ruleset-repository.js';
import { requireActiveGameService } from '../game-service-access.js';

export interface RulesetServiceDeps {
  repo: RulesetRepository;
  uow: UnitOfWork;
  gameServices: GameServiceClient;
  clock: Clock;
  ids: IdGenerator;
}

/** Compiled versions kept per process (a version never changes, so nothing goes stale). */
const COMPILED_CACHE = 500;

/**
 * Rulesets of a game service (docs/rules.md): version 1 on create, one more on every update
 * (earlier versions stay readable, sessions keep the one they started with), deprecation of
 * every version. Each version is validated and compiled once; `compiled` serves sessions and
 * estimates from a per-process cache.
 */
export class RulesetService {
  private readonly cache = new Map<string, CompiledRuleset>();

  constructor(private readonly d: RulesetServiceDeps) {}

  async create(scope: Scope, gameServiceId: string, def: RulesetDefinitionInput): Promise<RulesetInfo> {
    await requireActiveGameService(this.d.gameServices, scope, gameServiceId);
    this.validate(def);
    return this.d.uow.run(async (tx) => {
      const existing = await this.d.repo.latestForUpdate(tx, gameServiceId, [def.code]);
      if (existing.has(def.code)) {
        throw new CraftError('RULESET_CODE_EXISTS', `a ruleset "${def.code}" exists in the game service; ruleset/update adds a version`, { code: def.code });
      }
      return this.insertVersion(tx, gameServiceId, def, 1);
    });
  }

  async update(scope: Scope, gameServiceId: string, def: RulesetDefinitionInput): Promise<RulesetInfo> {
    if (!scope.allows(gameServiceId)) throw notFound(def.code);
    this.validate(def);
    return this.d.uow.run(async (tx) => {
      const latest = (await this.d.repo.latestForUpdate(tx, gameServiceId, [def.code])).get(def.code);
      if (!latest) throw notFound(def.code);
      if (latest.isDeprecated) throw new CraftError('RULESET_DEPRECATED', `ruleset "${def.code}" is deprecated`, { code: def.code });
      return this.insertVersion(tx, gameServiceId, def, latest.version + 1);
    });
  }

  async deprecate(scope: Scope, gameServiceId: string, code: string, reason: string | null): Promise<RulesetInfo> {
    if (!scope.allows(gameServiceId)) throw notFound(code);
    await this.d.uow.run(async (tx) => {
      const latest = (await this.d.repo.latestForUpdate(tx, gameServiceId, [code])).get(code);
      if (!latest) throw notFound(code);
      await this.d.repo.deprecate(tx, gameServiceId, code, this.d.clock.now(), reason);
    });
    return (await this.d.repo.find(gameServiceId, code))!;
  }

  async get(scope: Scope, q: { rulesetId?: string | null; gameServiceId?: string | null; code?: string | null; version?: number | null }) {
    let found: RulesetInfo | null;
    if (q.rulesetId) found = await this.d.repo.findById(q.rulesetId);
    else if (q.gameServiceId && q.code) found = scope.allows(q.gameServiceId) ? await this.d.repo.find(q.gameServiceId, q.code, q.version) : null;
    else throw new CraftError('VALIDATION_FAILED', 'give either rulesetId, or gameServiceId and code');
    if (!found || !scope.allows(found.gameServiceId)) throw notFound(q.rulesetId ? { rulesetId: q.rulesetId } : { code: q.code, ...(q.version != null && { version: q.version }) });
    return found;
  }

  async list(scope: Scope, filter: RulesetListFilter) {
    if (!scope.allows(filter.gameServiceId)) return { items: [], totalCount: 0 };
    return this.d.repo.listLatest(filter);
  }

  /** The version a session of the recipe plays: the pinned one, else the latest. Null when there is none. */
  find(gameServiceId: string, code: string, version?: number | null): Promise<RulesetInfo | null> {
    return this.d.repo.find(gameServiceId, code, version);
  }

  /** The compiled form of a stored version (validated when it was stored). */
  compiled(info: Pick<RulesetInfo, 'rulesetId' | 'definition'>): CompiledRuleset {
    let c = this.cache.get(info.rulesetId);
    if (!c) {
      const { ruleset, problems } = compileRuleset(info.definition as RulesetDefinition);
      if (!ruleset) throw new Error(`stored ruleset ${info.rulesetId} does not compile: ${problems.map((p) => `${p.path} ${p.message}`).join('; ')}`);
      if (this.cache.size >= COMPILED_CACHE) this.cache.clear();
      this.cache.set(info.rulesetId, ruleset);
      c = ruleset;
    }
    return c;
  }

  /** The problems of a definition, each with its JSON pointer (empty = valid). */
  problems(def: RulesetDefinitionInput) {
    return compileRuleset(def as RulesetDefinition).problems;
  }

  /**
   * The version each ruleset of a seed will have once stored (seedInTx's rule, read before the
   * transaction), so a recipe of the same seed may pin it.
   */
  async seedVersions(gameServiceId: string, defs: RulesetDefinitionInput[]): Promise<Map<string, number>> {
    const out = new Map<string, number>();
    for (const def of defs) {
      const current = await this.d.repo.find(gameServiceId, def.code, null);
      out.set(def.code, current && sameDefinition(current.definition, def) ? current.version : (current?.version ?? 0) + 1);
    }
    return out;
  }

  /**
   * Stores the rulesets of a seed in the caller's transaction: a new code is version 1, a
   * changed definition the next version, an unchanged one is left. The definitions must have
   * been validated (problems()).
   */
  async seedInTx(tx: Tx, gameServiceId: string, defs: RulesetDefinitionInput[]): Promise<SeededRuleset[]> {
    const latest = await this.d.repo.latestForUpdate(tx, gameServiceId, defs.map((d) => d.code));
    const out: SeededRuleset[] = [];
    for (const def of defs) {
      const current = latest.get(def.code);
      if (current && sameDefinition(current.definition, def)) {
        out.push({ code: def.code, version: current.version, rulesetId: current.rulesetId, result: 'unchanged' });
        continue;
      }
      if (current?.isDeprecated) throw new CraftError('RULESET_DEPRECATED', `ruleset "${def.code}" is deprecated`, { code: def.code });
      const stored = await this.insertVersion(tx, gameServiceId, def, (current?.version ?? 0) + 1);
      out.push({ code: def.code, version: stored.version, rulesetId: stored.rulesetId, result: current ? 'versioned' : 'created' });
    }
    return out;
  }

  private async insertVersion(tx: Tx, gameServiceId: string, def: RulesetDefinitionInput, version: number) {
    const info: RulesetInfo = {
      rulesetId: this.d.ids.uuid(),
      gameServiceId,
      code: def.code,
      version,
      definition: def,
      isDeprecated: false,
      deprecatedAt: null,
      deprecationReason: null,
      createdAt: this.d.clock.now().toISOString(),
    };
    await this.d.repo.insert(tx, info);
    return info;
  }

  private validate(def: RulesetDefinitionInput) {
    const problems = this.problems(def);
    if (problems.length > 0) {
      throw new CraftError('RULESET_INVALID', `the ruleset is invalid: ${problems.slice(0, 5).map((p) => `${p.path || '/'} ${p.message}`).join('; ')}`, {
        errors: problems,
      });
    }
  }

}

const notFound = (what: string | Record<string, unknown>) => new CraftError('RULESET_NOT_FOUND', 'no such ruleset', typeof what === 'string' ? { code: what } : what);

/** The same definition whatever the order of its keys (a reformatted pack file is not a new version). */
function sameDefinition(a: unknown, b: unknown): boolean {
  return canonicalJson(a) === canonicalJson(b);
}
