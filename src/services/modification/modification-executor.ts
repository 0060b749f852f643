/**
 * Runs a modification recipe's affix operation on its target item through the affix
 * client (seed 004, "Modification Recipes"). Session quality biases tier choice and value
 * rolls (src/domain/affix/quality-curve.ts); every random choice comes from `rng`.
 *
 * Replay safety (invariant 3): every mutating affix call carries the key
 * `${keyPrefix}:${n}`, n = 1, 2, ... in call order, and every decision is taken from the
 * results of those keyed calls, never from a fresh read of the item:
 *
 *   call 1 is `setState` with no flags: a keyed snapshot of the item (a replay returns the
 *   state as it was when the key was first used); each later decision looks at the state
 *   the previous keyed call returned.
 *
 * So running the executor again after a crash, with an rng from the same seed and the same
 * keys, takes the same decisions in the same order: the calls that already happened replay
 * their stored results and only the missing ones take effect. (Pools are plain reads; they
 * only change when definitions are added between the two runs.)
 *
 * Errors: whatever cannot run is refused before the first effect, as
 * CraftError('TARGET_ITEM_INVALID') (item state, no eligible definition, ...; also a
 * `conflict` answered to the first effectful call, which changed nothing) or
 * CraftError('RECIPE_INVALID') (unknown operation, apply_specific without a code).
 * Other ClientErrors (`unavailable`, ...) propagate: retry with the same rng seed and keys.
 * A `conflict` after effects were applied (someone else modified the item meanwhile) stops
 * the operation there: the result says `complete: false` and what was done.
 */
import type { AffixClient, AffixInstance, AffixPoolEntry, ItemAffixState } from '../../clients/affix-client.js';
import { ClientError } from '../../clients/errors.js';
import {
  operationProblems,
  openSlotTypes,
  type AffixOperation,
  type AffixOperationConfigInput,
} from '../../domain/affix/operation-check.js';
import {
  biasedWeight,
  DEFAULT_QUALITY_CURVE,
  pickWeighted,
  valuePercentile,
  type QualityCurve,
} from '../../domain/affix/quality-curve.js';
import { CraftError } from '../../domain/errors.js';
import { clamp01 } from '../../domain/quality/quality.js';

export type { AffixOperation } from '../../domain/affix/operation-check.js';

export interface ModificationDeps {
  affix: AffixClient;
}

export interface ModificationInput {
  gameServiceId: string;
  itemInstanceId: string;
  itemClass: string;
  itemLevel: number;
  operation: AffixOperation;
  config: AffixOperationConfigInput;
  /** Session quality, 0-1. */
  quality: number;
  /** Floats in [0, 1); the session's `modification` stream. */
  rng: () => number;
  /** Keys are `${keyPrefix}:1`, `${keyPrefix}:2`, ... */
  keyPrefix: string;
  /** Defaults to DEFAULT_QUALITY_CURVE. */
  curve?: QualityCurve;
}

export interface ModificationResult {
  affixesBefore: AffixInstance[];
  affixesAfter: AffixInstance[];
  /** One line for logs, events and the session's record. */
  summary: string;
  /** Codes of the affixes added, in order. */
  applied: string[];
  /** Codes of the affixes removed, in order. */
  removed: string[];
  /** False when a conflict stopped the operation after some of its effects. */
  complete: boolean;
  /** The item after the operation. */
  stateAfter: ItemAffixState;
}

/** Affix slot limits the affix service applies (see AffixClient). */
const LIMITED_SLOTS: Record<string, 'maxPrefixes' | 'maxSuffixes'> = { prefix: 'maxPrefixes', suffix: 'maxSuffixes' };

class Stopped extends Error {
  constructor(readonly reason: string) {
    super(reason);
  }
}

export async function executeModification(deps: ModificationDeps, input: ModificationInput): Promise<ModificationResult> {
  return new Execution(deps.affix, input).run();
}

class Execution {
  private n = 0;
  private effects = 0;
  private state!: ItemAffixState;
  private readonly pools = new Map<string, AffixPoolEntry[]>();
  private readonly applied: string[] = [];
  private readonly removed: string[] = [];
  private readonly quality: number;
  private readonly curve: QualityCurve;

  constructor(
    private readonly affix: AffixClient,
    private readonly input: ModificationInput,
  ) {
    this.quality = clamp01(input.quality);
    this.curve = input.curve ?? DEFAULT_QUALITY_CURVE;
  }

  async run(): Promise<ModificationResult> {
    const { input } = this;
    // 1: the keyed snapshot every decision starts from.
    await this.call('snapshot', (key) => this.affix.setState({ itemInstanceId: input.itemInstanceId }, key), false);
    const before = this.state;
    const problems = operationProblems(input.operation, input.config, before);
    if (problems.length > 0) {
      const code = problems.some((p) => p.kind === 'recipe') ? 'RECIPE_INVALID' : 'TARGET_ITEM_INVALID';
      const messages = problems.map((p) => p.message);
      throw new CraftError(code, `${input.operation}: ${messages.join('; ')}`, { itemInstanceId: input.itemInstanceId, problems: messages });
    }

    let complete = true;
    let note = '';
    try {
      note = await this.perform();
    } catch (err) {
      if (!(err instanceof Stopped)) throw err;
      complete = false;
      note = `stopped early: ${err.reason}`;
    }
    return {
      affixesBefore: before.affixes,
      affixesAfter: this.state.affixes,
      summary: this.summarise(note, complete),
      applied: [...this.applied],
      removed: [...this.removed],
      complete,
      stateAfter: this.state,
    };
  }

  private async perform(): Promise<string> {
    const { input } = this;
    const id = input.itemInstanceId;
    switch (input.operation) {
      case 'apply_random':
        await this.applyRandom(this.requireCandidates(await this.candidates(this.state)));
        return '';
      case 'remove_random': {
        const target = this.pickAffix(this.state.affixes.filter((a) => !a.isFractured));
        await this.remove(target);
        return '';
      }
      case 'reroll_all': {
        const removable = this.state.affixes.filter((a) => !a.isFractured);
        // Refuse before removing anything when nothing could be rolled afterwards.
        const afterRemoval = withoutAffixes(this.state, new Set(removable.map((a) => a.definitionId)));
        this.requireCandidates(await this.candidates(afterRemoval));
        for (const affix of removable) await this.remove(affix);
        const count = Math.max(1, removable.length);
        for (let i = 0; i < count; i++) {
          const candidates = await this.candidates(this.state);
          if (candidates.length === 0) return `no eligible affix left after ${i} of ${count}`;
          await this.applyRandom(candidates);
        }
        return '';
      }
      case 'reroll_values': {
        const percentile = valuePercentile(this.quality, this.input.rng(), this.curve);
        await this.call('rerollValues', (key) => this.affix.rerollValues({ itemInstanceId: id, valuePercentileTarget: percentile }, key));
        return `values rerolled to the ${pct(percentile)} percentile`;
      }
      case 'corrupt':
        // No extra effect (PoE's random corruption outcomes would be a rule on top of this).
        await this.call('corrupt', (key) => this.affix.setState({ itemInstanceId: id, isCorrupted: true }, key));
        return 'item corrupted';
      case 'fracture': {
        const target = this.pickAffix(this.state.affixes.filter((a) => !a.isFractured));
        await this.call('fracture', (key) =>
          this.affix.setState({ itemInstanceId: id, isFractured: true, fractureDefinitionId: target.definitionId }, key),
        );
        return `fractured ${target.code}`;
      }
      case 'apply_specific':
        await this.applySpecific();
        return '';
    }
  }

  // ---- operations -------------------------------------------------------------------

  private async applyRandom(candidates: AffixPoolEntry[]): Promise<void> {
    const { quality, curve } = this;
    const pick = pickWeighted(candidates, (c) => biasedWeight(c.weight, c.tier, quality, curve), this.input.rng());
    if (!pick) throw this.noEligible();
    const percentile = valuePercentile(quality, this.input.rng(), curve);
    await this.call('apply', (key) =>
      this.affix.apply({ itemInstanceId: this.input.itemInstanceId, definitionId: pick.definitionId, valuePercentileTarget: percentile }, key),
    );
    this.applied.push(pick.code);
  }

  private async applySpecific(): Promise<void> {
    const { input } = this;
    const code = input.config.guaranteedAffixCode!;
    const def = await this.affix.getDefinition({ gameServiceId: input.gameServiceId, code });
    const problems: string[] = [];
    if (!def) problems.push(`no affix definition "${code}" in this game service`);
    else {
      const classes = def.validItemClasses ?? [];
      if (classes.length > 0 && !classes.includes(input.itemClass)) problems.push(`"${code}" cannot roll on item class "${input.itemClass}"`);
      if (def.minItemLevel > input.itemLevel) problems.push(`"${code}" needs item level ${def.minItemLevel}, the item is ${input.itemLevel}`);
      if (this.state.affixes.some((a) => a.definitionId === def.definitionId)) problems.push(`the item already has "${code}"`);
      const free = this.state.freeSlots[def.slotType];
      if (free !== undefined && !(free > 0)) problems.push(`the item has no free ${def.slotType} slot`);
    }
    if (problems.length > 0 || !def) {
      throw new CraftError('TARGET_ITEM_INVALID', `apply_specific: ${problems.join('; ')}`, { itemInstanceId: input.itemInstanceId, problems });
    }
    const percentile = valuePercentile(this.quality, input.rng(), this.curve);
    await this.call('apply', (key) =>
      this.affix.apply({ itemInstanceId: input.itemInstanceId, definitionId: def.definitionId, valuePercentileTarget: percentile }, key),
    );
    this.applied.push(def.code);
  }

  private async remove(affix: AffixInstance): Promise<void> {
    await this.call('remove', (key) => this.affix.remove({ itemInstanceId: this.input.itemInstanceId, definitionId: affix.definitionId }, key));
    this.removed.push(affix.code);
  }

  /** A uniformly random affix of the list (non-empty: operationProblems checked it). */
  private pickAffix(affixes: AffixInstance[]): AffixInstance {
    const index = Math.min(affixes.length - 1, Math.floor(clamp01(this.input.rng()) * affixes.length));
    return affixes[index]!;
  }

  // ---- pools ------------------------------------------------------------------------

  /**
   * What apply_random may roll on an item in `state`: the pools of the recipe's slot type
   * (or of every limited slot type with a free slot), minus definitions already on it,
   * sorted by code.
   */
  private async candidates(state: ItemAffixState): Promise<AffixPoolEntry[]> {
    const slot = this.input.config.slotType ?? null;
    const slots = slot !== null ? [slot] : openSlotTypes(state);
    const present = new Set(state.affixes.map((a) => a.definitionId));
    const out: AffixPoolEntry[] = [];
    for (const s of slots) {
      const free = state.freeSlots[s];
      if (free !== undefined && !(free > 0)) continue;
      for (const entry of await this.pool(s)) if (!present.has(entry.definitionId)) out.push(entry);
    }
    return out.sort((a, b) => compare(a.code, b.code) || compare(a.definitionId, b.definitionId));
  }

  /** The candidates, or TARGET_ITEM_INVALID when there are none (checked before any effect). */
  private requireCandidates(candidates: AffixPoolEntry[]): AffixPoolEntry[] {
    if (candidates.length === 0) throw this.noEligible();
    return candidates;
  }

  /**
   * The pool of one slot type with the recipe's tag modifiers. The affix API weights by
   * definition id, so the tags are translated: each definition's factor is the product of
   * its tags' modifiers (a missing tag counts 1, 0 excludes), and the pool is asked again
   * with those factors.
   */
  private async pool(slotType: string): Promise<AffixPoolEntry[]> {
    const cached = this.pools.get(slotType);
    if (cached) return cached;
    const { input } = this;
    const query = { gameServiceId: input.gameServiceId, itemClass: input.itemClass, itemLevel: input.itemLevel, slotType };
    let pool = await this.affix.generatePool(query);
    const byTag = input.config.weightModifiers ?? {};
    if (Object.keys(byTag).length > 0) {
      const byDefinition: Record<string, number> = {};
      for (const entry of pool) {
        const factor = entry.tags.reduce((product, tag) => product * tagFactor(byTag[tag]), 1);
        if (factor !== 1) byDefinition[entry.definitionId] = factor;
      }
      if (Object.keys(byDefinition).length > 0) pool = await this.affix.generatePool({ ...query, weightModifiers: byDefinition });
    }
    this.pools.set(slotType, pool);
    return pool;
  }

  // ---- calls ------------------------------------------------------------------------

  /** One keyed call; its result becomes the state the next decision looks at. */
  private async call(what: string, fn: (key: string) => Promise<ItemAffixState>, effectful = true): Promise<void> {
    const key = `${this.input.keyPrefix}:${++this.n}`;
    try {
      this.state = await fn(key);
    } catch (err) {
      if (err instanceof ClientError && err.kind === 'conflict') {
        if (this.effects === 0) {
          throw new CraftError('TARGET_ITEM_INVALID', `${this.input.operation}: ${err.message}`, {
            itemInstanceId: this.input.itemInstanceId,
            step: what,
          });
        }
        throw new Stopped(`${what} (${key}) was refused: ${err.message}`);
      }
      throw err;
    }
    if (effectful) this.effects += 1;
  }

  private noEligible(): CraftError {
    const { input } = this;
    return new CraftError(
      'TARGET_ITEM_INVALID',
      `${input.operation}: no eligible affix for item class "${input.itemClass}" at item level ${input.itemLevel}` +
        (input.config.slotType ? ` in slot ${input.config.slotType}` : ''),
      { itemInstanceId: input.itemInstanceId },
    );
  }

  private summarise(note: string, complete: boolean): string {
    const parts: string[] = [];
    if (this.removed.length > 0) parts.push(`removed ${this.removed.join(', ')}`);
    if (this.applied.length > 0) {
      const added = this.applied.map((code) => {
        const a = this.state.affixes.find((x) => x.code === code);
        return a ? `${code} (${a.slotType}, tier ${a.tier}, ${pct(a.valuePercentile)})` : code;
      });
      parts.push(`applied ${added.join(', ')}`);
    }
    if (note) parts.push(note);
    if (!complete && !note) parts.push('incomplete');
    return `${this.input.operation}: ${parts.join('; ') || 'done'}`;
  }
}

/** `state` as it would be without the given affixes (free slots recomputed). */
function withoutAffixes(state: ItemAffixState, ids: ReadonlySet<string>): ItemAffixState {
  const affixes = state.affixes.filter((a) => !ids.has(a.definitionId));
  const freeSlots: Record<string, number> = {};
  for (const [slot, limit] of Object.entries(LIMITED_SLOTS)) {
    freeSlots[slot] = Math.max(0, state[limit] - affixes.filter((a) => a.slotType === slot).length);
  }
  return { ...state, affixes, freeSlots };
}

function tagFactor(modifier: number | undefined): number {
  if (modifier === undefined || !Number.isFinite(modifier)) return 1;
  return Math.max(0, modifier);
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function pct(p: number): string {
  return `${Math.round(p * 100)}%`;
}
