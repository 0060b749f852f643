import { ClientError } from '../../clients/errors.js';
import type { InventoryClient } from '../../clients/inventory-client.js';
import type { ItemClient, ItemInstance } from '../../clients/item-client.js';
import type { components } from '../../generated/craft-api.js';
import { CraftError } from '../../domain/errors.js';
import type { CompiledRuleset } from '../../domain/rules/compile.js';
import { contextOf, RuleError, type EngineInputs } from '../../domain/rules/engine.js';
import { toBoolean } from '../../domain/rules/expr.js';
import { actionsNow, nextAttempt, nextDeadline, play, qualityNow, startRules, type Played, type RulesRecord } from '../../domain/rules/play.js';
import type { Clock, IdGenerator, Logger } from '../ports.js';
import type { RulesetInfo } from '../rulesets/ruleset-model.js';
import type { SessionDriver } from './session-driver.js';
import { craftSize } from '../../domain/recipe/batch.js';
import { materialLots } from './material-choice.js';
import type { TemplateCache } from './template-cache.js';
import { checkChosenTraits, completeContext, materialsContext, provenance, traitCandidates } from '../../domain/rules/materials.js';
import { sessionEvents } from './session-events.js';
import type { ReservedMaterial, SessionRecord } from './session-model.js';
import type { StartPlan, StartRequest } from './session-planner.js';
import type { SessionRepository } from './session-repository.js';
import { attemptEndChange } from './rules-transitions.js';

type Schemas = components['schemas'];

export interface RulesSessionsDeps {
  rulesets: {
    find(gameServiceId: string, code: string, version?: number | null): Promise<RulesetInfo | null>;
    compiled(info: Pick<RulesetInfo, 'rulesetId' | 'definition'>): CompiledRuleset;
  };
  repo: SessionRepository;
  driver: SessionDriver;
  item: ItemClient;
  inventory: InventoryClient;
  clock: Clock;
  ids: IdGenerator;
  log: Logger;
  /** Item templates (the materials' tags, tier and stats). */
  templates: TemplateCache;
}

export interface RulesAction {
  entityId?: string;
  action?: string;
  performance?: number;
  consumableItemId?: string;
  /** The materials' traits the outputs inherit, chosen now (replaces an earlier choice). */
  inheritTraits?: string[];
}

const numberOf = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);

/**
 * Ruleset sessions (docs/rules.md): what a start adds (the version to play, the stats, a
 * trial), each action (the engine's turn, a consumable taken from the inventory, a charge per
 * period), the next attempt, and the view callers get. The engine decides; this class checks
 * the request, moves the consumable and commits the turn with its events.
 */
export class RulesSessions {
  constructor(private readonly d: RulesSessionsDeps) {}

  compile(rules: Pick<RulesRecord, 'rulesetId' | 'definition'>): CompiledRuleset {
    return this.d.rulesets.compiled({ rulesetId: rules.rulesetId, definition: rules.definition as RulesetInfo['definition'] });
  }

  /** The quality a ruleset session's outputs would have if its attempt finished now. */
  quality(rules: RulesRecord): number {
    return qualityNow(this.compile(rules), rules);
  }

  /** The rules a start plays by: null for a step recipe (which takes no stats and no trial). */
  async prepare(plan: StartPlan, req: StartRequest, now: Date, sessionExpiresAt: Date): Promise<RulesRecord | null> {
    const ref = plan.recipe.ruleset;
    if (!ref) {
      if (req.trial || (req.stats && Object.keys(req.stats).length > 0) || req.inheritTraits) {
        throw new CraftError('VALIDATION_FAILED', 'stats, trial and inheritTraits are for recipes that play by a ruleset; this recipe has steps', { recipeId: plan.recipe.recipeId });
      }
      return null;
    }
    const info = await this.d.rulesets.find(plan.recipe.gameServiceId, ref.code, ref.version ?? null);
    if (!info) throw new CraftError('VALIDATION_FAILED', `the recipe's ruleset "${ref.code}" does not exist`, { code: ref.code, version: ref.version ?? null });
    if (info.isDeprecated) throw new CraftError('RULESET_DEPRECATED', `ruleset "${ref.code}" is deprecated; no new sessions can start with it`, { code: ref.code });
    const rs = this.d.rulesets.compiled(info);
    // Outputs the ruleset may make instead of the recipe's (outcome.variants) must exist, as the recipe's own must.
    for (const v of rs.outcome.variants) {
      if (!(await this.d.item.getTemplate({ code: v.itemTemplateCode, gameId: plan.recipe.gameServiceId }))) {
        throw new CraftError('VALIDATION_FAILED', `output item template "${v.itemTemplateCode}" (a variant of the ruleset) does not exist`, { itemTemplateCode: v.itemTemplateCode });
      }
    }
    const { materials, provenance } = await this.materialsOf(rs, plan);
    const inputs = inputsOf(rs, plan, req, materials);
    const started = { ...startRules(rs, { rulesetId: info.rulesetId, code: info.code, version: info.version }, inputs, now, sessionExpiresAt), provenance };
    const rules = req.inheritTraits ? this.chooseTraits(rs, started, req.inheritTraits) : started;
    this.checkStart(rs, rules);
    if (req.trial) {
      const allowed = plan.recipe.recipeType === 'production' && rs.trial !== null && toBoolean(rs.trial.allowed(contextOf(inputs, rules.state)));
      if (!allowed) throw new CraftError('TRIAL_NOT_ALLOWED', `a trial craft of "${plan.recipe.code}" is not allowed for this crafter now`, { ruleset: info.code });
    }
    return rules;
  }

  /** The rules again after a start re-planned its materials (their quality and count changed). */
  async replanned(rules: RulesRecord, plan: Pick<StartPlan, 'recipe' | 'materials' | 'materialInstances' | 'state'>): Promise<RulesRecord> {
    const rs = this.compile(rules);
    const { materials, provenance } = await this.materialsOf(rs, plan);
    const inputs: EngineInputs = { ...rules.inputs, materials };
    const meta = { rulesetId: rules.rulesetId, code: rules.code, version: rules.version };
    const next = { ...startRules(rs, meta, inputs, new Date(rules.attemptStartedAt), new Date(rules.sessionExpiresAt)), deadline: rules.deadline, provenance };
    // The new materials must still meet the ruleset's start requirement, and still offer the
    // crafter's chosen traits: else the start fails (giving back what it reserved) rather than
    // craft with a choice nobody made.
    this.checkStart(rs, next);
    return inputs.chosenTraits ? this.chooseTraits(rs, next, inputs.chosenTraits) : next;
  }

  /** The ruleset's start requirement (start.requires) over the session as it starts. */
  private checkStart(rs: CompiledRuleset, rules: RulesRecord): void {
    if (rs.start && !toBoolean(rs.start.requires(contextOf(rules.inputs, rules.state)))) {
      throw new CraftError('RULESET_REQUIREMENT_NOT_MET', rs.start.reason, { ruleset: rules.code, reason: rs.start.reason });
    }
  }

  /**
   * The materials as the ruleset reads them (materials.ts): the spec's material quality, count,
   * highest tier, tag and trait units, stats and rarity, in all and per slot; and their provenance.
   */
  private async materialsOf(rs: CompiledRuleset, plan: Pick<StartPlan, 'recipe' | 'materials' | 'materialInstances' | 'state'>) {
    const templates = plan.materials.length > 0 ? await this.d.templates.lookup(plan.recipe.gameServiceId, plan.materials.map((m) => m.templateId)) : new Map();
    const picks = plan.materials.map((m) => ({ inputIndex: m.inputIndex, instanceId: m.sourceInstanceId, itemTemplateCode: m.itemTemplateCode, quantity: m.quantity, quality: m.quality }));
    const lots = materialLots(plan.recipe, picks, new Map(plan.materialInstances.map((i) => [i.instanceId, i])), templates);
    const context = materialsContext(lots, rs.materials.rarity?.scale ?? []);
    return { materials: { ...context, quality: plan.state.materialQuality ?? context.quality }, provenance: provenance(lots) };
  }

  /**
   * One action, under the caller's session lock. Returns the session as committed with what the
   * action did. Nothing changes when it throws (a consumable already moved goes back).
   */
  async act(s: SessionRecord, req: RulesAction, now: Date): Promise<{ session: SessionRecord; played: Played }> {
    const rules = s.rules!;
    const rs = this.compile(rules);
    if (rules.state.ended) {
      throw new CraftError('ATTEMPT_ENDED', rules.awaitingRetry ? 'the attempt failed; session/retry starts the next one' : 'the attempt has ended', {
        ended: rules.state.ended.how,
        awaitingRetry: rules.awaitingRetry,
      });
    }
    if (!req.action) throw new CraftError('VALIDATION_FAILED', 'this session plays by a ruleset: give `action`', { actions: rs.actionCodes });
    if (s.stepReadyAt && now < s.stepReadyAt) {
      throw new CraftError('STEP_NOT_READY', 'the previous action is still under way', { readyAt: s.stepReadyAt.toISOString() });
    }
    const def = rs.actions.get(req.action)?.def;
    const periods = await this.periodUses(s, rs, now, def ? [req.action] : []);
    const exhausted = periods.get(req.action);
    if (exhausted) throw new CraftError('ACTION_NOT_AVAILABLE', `"${req.action}" cannot be used now: ${exhausted}`, { action: req.action, reason: exhausted });

    const chosen = req.inheritTraits ? this.chooseTraits(rs, rules, req.inheritTraits) : rules;
    let played: Played;
    try {
      played = play(rs, chosen, req.action, { performance: req.performance ?? null }, s.rngSeed, now);
    } catch (err) {
      if (err instanceof RuleError) throw new CraftError(err.code, err.message, err.details);
      throw err;
    }
    const consumable = def?.consumable && !rules.trial ? await this.takeConsumable(s, def.consumable, req.consumableItemId ?? null, played) : null;
    if (consumable) played = { ...played, turn: { ...played.turn, consumedItemId: consumable.sourceInstanceId } };
    const rulesAfter: RulesRecord = { ...played.rules, turns: [...played.rules.turns.slice(0, -1), played.turn] };

    const change: Partial<SessionRecord> = {
      rules: rulesAfter,
      stepReadyAt: def?.durationSeconds ? new Date(now.getTime() + def.durationSeconds * 1000) : null,
      reservedMaterials: consumable ? [...s.reservedMaterials, consumable] : s.reservedMaterials,
      pendingEffects: !!consumable,
      expiresAt: nextDeadline(rulesAfter),
      accumulatedQuality: qualityNow(rs, rulesAfter),
      ...(played.ended && attemptEndChange(s, rulesAfter, played.ended)),
    };
    if (played.ended && change.status === undefined) change.pendingEffects = !!consumable || rulesAfter.pendingLoss !== null;
    const event = sessionEvents.ruleTurn(s, played, req.entityId ?? s.entityId, this.d.ids.uuid(), now);
    const period = def?.charges?.per === 'period' && !rules.trial ? def.charges : null; // a trial spends no real charge
    const ok = await this.d.driver.transition(s, change, [event], period ? (tx) => this.chargePeriod(tx, s, rs, req.action!, period, now) : undefined).catch(async (err) => {
      if (consumable) await this.giveBack(s, consumable);
      throw err;
    });
    if (!ok) {
      if (consumable) await this.giveBack(s, consumable);
      throw new CraftError('SESSION_VERSION_CONFLICT', 'the session changed concurrently; reload it');
    }
    return { session: { ...s, ...change, version: s.version + 1 } as SessionRecord, played };
  }

  /** The rules with the crafter's choice of inherited traits, checked against the session's materials. */
  private chooseTraits(rs: CompiledRuleset, rules: RulesRecord, traits: string[]): RulesRecord {
    const inherit = rs.def.materials?.inherit;
    const materials = completeContext(rules.inputs.materials);
    const problems = checkChosenTraits(inherit, materials, traits);
    if (problems.length > 0) {
      throw new CraftError('VALIDATION_FAILED', `inheritTraits: ${problems.join('; ')}`, { inheritTraits: traits, candidates: inherit ? traitCandidates(inherit, materials) : [] });
    }
    return { ...rules, inputs: { ...rules.inputs, chosenTraits: [...traits] } };
  }

  /** Starts the next attempt of a session whose attempt failed (under the caller's lock). */
  async retry(s: SessionRecord, now: Date): Promise<SessionRecord> {
    const rules = s.rules;
    if (!rules || !rules.awaitingRetry) {
      throw new CraftError('RETRY_NOT_AVAILABLE', rules ? 'the current attempt has not failed' : 'this session does not play by a ruleset', {
        attempt: rules?.state.attempt ?? null,
      });
    }
    let current = s;
    if (rules.pendingLoss !== null) {
      // The failed attempt's loss is destroyed before the next attempt starts.
      current = (await this.d.driver.drive(s.id)) ?? s;
      if (current.rules?.pendingLoss !== null || current.status !== 'active') {
        throw new CraftError('SESSION_VERSION_CONFLICT', 'the failed attempt is still being settled; retry', { status: current.status });
      }
    }
    const next = nextAttempt(this.compile(current.rules!), current.rules!, now);
    const change: Partial<SessionRecord> = { rules: next, attempt: next.state.attempt, stepReadyAt: null, expiresAt: nextDeadline(next) };
    if (!(await this.d.driver.transition(current, change, []))) throw new CraftError('SESSION_VERSION_CONFLICT', 'the session changed concurrently; reload it');
    return { ...current, ...change, version: current.version + 1 } as SessionRecord;
  }

  /** What callers see of a ruleset session: pools, buffs, condition, the actions now, ended attempts. */
  async view(s: SessionRecord): Promise<Schemas['RulesView']> {
    const rules = s.rules!;
    const rs = this.compile(rules);
    const live = s.status === 'active' && !rules.state.ended;
    const periods = live ? await this.periodUses(s, rs, this.d.clock.now(), rs.actionCodes) : new Map<string, string>();
    return viewOf(rules, rs, s, periods);
  }

  /** Why each period-limited action is exhausted for the entity now (absent: usable). */
  private async periodUses(s: SessionRecord, rs: CompiledRuleset, now: Date, actions: string[]): Promise<Map<string, string>> {
    const limited = actions.flatMap((code) => {
      const c = rs.actions.get(code)?.def.charges;
      return c?.per === 'period' ? [{ action: code, max: c.max, seconds: c.periodSeconds ?? 86_400 }] : [];
    });
    const out = new Map<string, string>();
    if (limited.length === 0 || s.rules!.trial) return out;
    const used = await this.d.repo.abilityUses({
      ...who(s),
      rulesetCode: s.rules!.code,
      since: limited.map((l) => ({ action: l.action, from: new Date(now.getTime() - l.seconds * 1000) })),
    });
    for (const l of limited) {
      const n = used.get(l.action) ?? 0;
      if (n >= l.max) out.set(l.action, `used ${n} of ${l.max} times in the last ${l.seconds} seconds`);
    }
    return out;
  }

  /** Counts again under lock in the turn's transaction and records the use (two sessions cannot share the last charge). */
  private async chargePeriod(tx: Parameters<NonNullable<Parameters<SessionDriver['transition']>[3]>>[0], s: SessionRecord, rs: CompiledRuleset, action: string, c: { max: number; periodSeconds?: number }, now: Date) {
    const from = new Date(now.getTime() - (c.periodSeconds ?? 86_400) * 1000);
    const used = (await this.d.repo.abilityUses({ ...who(s), rulesetCode: s.rules!.code, since: [{ action, from }] }, tx)).get(action) ?? 0;
    if (used >= c.max) throw new CraftError('ACTION_NOT_AVAILABLE', `"${action}" cannot be used now: used ${used} of ${c.max} times in the period`, { action });
    await this.d.repo.recordAbilityUse(tx, { id: this.d.ids.uuid(), ...who(s), rulesetCode: s.rules!.code, action, sessionId: s.id, usedAt: now });
    void rs;
    return [];
  }

  /**
   * Moves the action's consumable from the crafter's inventory into the escrow (keyed by attempt
   * and turn, so a retried request moves it once); recorded as consumed, the driver destroys it.
   */
  private async takeConsumable(
    s: SessionRecord,
    want: { category?: string; itemTemplateCode?: string; quantity?: number },
    named: string | null,
    played: Played,
  ): Promise<ReservedMaterial> {
    const quantity = want.quantity ?? 1;
    const item = await this.findConsumable(s, want, quantity, named);
    // Unique per request: two requests racing for the same turn must not share one move (the
    // loser would give back the winner's item). A move whose request dies before its commit is
    // a stray in the escrow, returned when the session ends.
    const key = `craft:${s.id}:consumable:${played.turn.attempt}:${played.turn.turn}:${this.d.ids.uuid()}`;
    try {
      const moved = await this.d.inventory.transfer(
        { instanceId: item.instanceId, sourceContainerId: s.inventoryId, targetContainerId: s.escrowContainerId!, gameServiceId: s.gameServiceId, quantity },
        key,
      );
      return {
        inputIndex: -1,
        sourceInstanceId: item.instanceId,
        instanceId: moved.instanceId,
        templateId: item.templateId,
        itemTemplateCode: item.templateCode,
        quantity,
        quality: numberOf(item.instanceMetadata?.quality),
        consumeOnStep: null,
        consumed: true,
        use: { kind: 'consumable', attempt: played.turn.attempt, turn: played.turn.turn },
      };
    } catch (err) {
      if (err instanceof ClientError && (err.kind === 'conflict' || err.kind === 'not_found')) {
        throw new CraftError('CONSUMABLE_NOT_AVAILABLE', 'the consumable was taken by another action; nothing changed', { itemId: item.instanceId });
      }
      throw err;
    }
  }

  private async findConsumable(s: SessionRecord, want: { category?: string; itemTemplateCode?: string }, quantity: number, named: string | null): Promise<ItemInstance> {
    const container = await this.d.inventory.getContainer(s.inventoryId, true, s.gameServiceId);
    const held = (container?.contents ?? []).filter((i) => i.quantity >= quantity && i.instanceId !== s.targetItemId && !s.tools.some((t) => t.instanceId === i.instanceId));
    const candidates = named ? held.filter((i) => i.instanceId === named) : held;
    for (const i of candidates) {
      if (want.itemTemplateCode && i.templateCode === want.itemTemplateCode) return i;
      if (want.category) {
        const template = await this.d.item.getTemplate({ templateId: i.templateId, gameId: s.gameServiceId });
        if (template?.category === want.category) return i;
      }
    }
    const what = want.itemTemplateCode ? `an item "${want.itemTemplateCode}"` : `an item of category "${want.category}"`;
    throw new CraftError('CONSUMABLE_NOT_AVAILABLE', `the action needs ${what} (quantity ${quantity}) in the crafter's inventory${named ? '; the named item is not one' : ''}`, {
      ...want,
      quantity,
      consumableItemId: named,
    });
  }

  private async giveBack(s: SessionRecord, m: ReservedMaterial) {
    await this.d.inventory
      .transfer(
        { instanceId: m.instanceId!, sourceContainerId: s.escrowContainerId!, targetContainerId: s.inventoryId, gameServiceId: s.gameServiceId, mergeStacks: true },
        // Unique: the same instance may be taken and given back again later (a whole stack keeps
        // its id), and the session's final return of it must not replay this one.
        `craft:${s.id}:giveback:${this.d.ids.uuid()}`,
      )
      .catch((err) => this.d.log.warn({ err, sessionId: s.id }, 'consumable return deferred to the end of the session'));
  }
}

const who = (s: SessionRecord) => ({ gameServiceId: s.gameServiceId, entityId: s.entityId, entityType: s.entityType });

function inputsOf(rs: CompiledRuleset, plan: StartPlan, req: StartRequest, materials: EngineInputs['materials']): EngineInputs {
  const ref = plan.recipe.ruleset!;
  const tools = plan.tools.map((t) => t.quality ?? 0.5);
  return {
    stats: statsOf(rs, req.stats ?? {}),
    params: rs.def.params ?? {},
    recipe: { inputs: (plan.recipe.inputs ?? []).length, steps: plan.recipe.steps.length, size: craftSize(plan.recipe), batch: plan.recipe.batch ?? 1, ...(ref.params ?? {}) },
    crafter: { level: plan.level, proficiencyFactor: plan.state.proficiencyFactor ?? 0 },
    materials,
    tool: { quality: tools.length > 0 ? tools.reduce((a, b) => a + b, 0) / tools.length : 0.5 },
    station: { quality: plan.station?.quality ?? 0, tier: plan.station?.tier ?? 0 },
    trial: !!req.trial,
    recipeTraits: ref.traits ?? [],
  };
}

/** The stats a start gives, checked against what the ruleset declares (defaults filled in). */
export function statsOf(rs: CompiledRuleset, given: Record<string, number>): Record<string, number> {
  const errors: { path: string; message: string }[] = [];
  const declared = new Map(rs.stats.map((st) => [st.name, st]));
  for (const name of Object.keys(given)) if (!declared.has(name)) errors.push({ path: `/stats/${name}`, message: `the ruleset declares no stat "${name}"` });
  const stats: Record<string, number> = Object.create(null);
  for (const st of rs.stats) {
    const v = Object.hasOwn(given, st.name) ? given[st.name]! : st.default;
    if (v === undefined) errors.push({ path: `/stats/${st.name}`, message: `stat "${st.name}" is required` });
    else if ((st.min !== undefined && v < st.min) || (st.max !== undefined && v > st.max)) {
      errors.push({ path: `/stats/${st.name}`, message: `stat "${st.name}" must be within ${st.min ?? '-inf'}..${st.max ?? 'inf'}` });
    } else stats[st.name] = v;
  }
  if (errors.length > 0) throw new CraftError('VALIDATION_FAILED', errors.map((e) => e.message).join('; '), { errors });
  return stats;
}

function viewOf(rules: RulesRecord, rs: CompiledRuleset, s: SessionRecord, periods: Map<string, string>): Schemas['RulesView'] {
  const st = rules.state;
  return {
    code: rules.code,
    version: rules.version,
    attempt: st.attempt,
    maxAttempts: rules.maxAttempts,
    turn: st.turn,
    pools: st.pools,
    buffs: Object.entries(st.buffs).map(([code, b]) => ({ code, stacks: b.stacks, turns: b.turns })),
    condition: st.condition,
    ended: st.ended?.how ?? null,
    awaitingRetry: rules.awaitingRetry,
    trial: rules.trial,
    ...(rs.def.materials?.inherit && {
      inheritance: {
        candidates: traitCandidates(rs.def.materials.inherit, completeContext(rules.inputs.materials)),
        max: rs.def.materials.inherit.max,
        chosen: rules.inputs.chosenTraits ?? null,
      },
    }),
    readyAt: s.stepReadyAt && s.status === 'active' ? s.stepReadyAt.toISOString() : null,
    deadline: st.ended ? null : rules.deadline,
    available: actionsNow(rs, rules).map((a) => {
      const exhausted = a.usable ? periods.get(a.code) : undefined;
      return { ...a, usable: a.usable && !exhausted, reason: exhausted ?? a.reason };
    }),
    outcomes: rules.outcomes.map((o) => ({
      attempt: o.attempt,
      score: o.score,
      success: o.success,
      band: o.band,
      outputMultiplier: o.outputMultiplier,
      quality: o.quality,
      grade: o.grade,
      traits: o.traits,
      rare: o.rare,
      attributes: o.attributes,
      rarity: o.rarity ?? null,
      ...(o.breaksTarget && { breaksTarget: true }),
      ...(o.variant && { variant: o.variant.itemTemplateCode }),
      loss: Math.round(o.loss * 1e6) / 1e6,
    })),
  };
}
