import type { CompiledLoss, CompiledRuleset } from './compile.js';
import { contextOf, type Draw, type EngineInputs, type EngineState } from './engine.js';
import { toBoolean, toNumber } from './expr.js';
import { completeContext, inheritedTraits, outputRarity, tagTraits } from './materials.js';

/** What an ended attempt yields, as the ruleset's outcome section decides it. */
export interface RuleOutcome {
  score: number;
  success: boolean;
  /** The band the score fell in (bands mode). */
  band: string | null;
  /** Output quantities are multiplied by this (0 on failure). */
  outputMultiplier: number;
  /** Written on the outputs; null = none. */
  quality: number | null;
  grade: string | null;
  /** Traits the outputs gain: the band's, the breakpoints reached, a first-try bonus, rare events. */
  traits: string[];
  /** Rare events that happened (masterpiece...). */
  rare: string[];
  /** Numbers written on the outputs (outcome.attributes), rounded to 6 decimals. */
  attributes: Record<string, number>;
  /** The outputs' rarity (materials.rarity); null = none. */
  rarity: string | null;
  /** On failure: the share of the materials lost, 0..1 (the rest goes back, or to the next attempt). */
  loss: number;
  /** On failure of a modification: the target item breaks (outcome.breaksTarget). */
  breaksTarget: boolean;
  /** On success: the output made of another template (outcome.variants); null = the recipe's. */
  variant: { output: number; itemTemplateCode: string } | null;
}

const clamp01 = (x: number) => Math.min(1, Math.max(0, x));
const round6 = (x: number) => Math.round(x * 1e6) / 1e6;

function rollLoss(loss: CompiledLoss | null, ctx: Record<string, unknown>, draw: Draw, fallback: number): number {
  if (!loss) return fallback;
  const min = clamp01(toNumber(loss.min(ctx)));
  const max = loss.max ? clamp01(toNumber(loss.max(ctx))) : min;
  if (max <= min) return min;
  return min + (max - min) * draw('loss');
}

/**
 * The outcome of an ended attempt (or of one being finished now). Draws from the `loss`,
 * `bonus` (first-try) and `rare` streams; deterministic in (state, draws).
 */
/** Quality when the ruleset gives no `outcome.quality`: the score read as a percentage, clamped to 0..1. */
export function defaultQuality(score: number): number {
  return round6(clamp01(score / 100));
}

/** The context outcome expressions read: the state's, with the outcome's score. */
function outcomeContext(rs: CompiledRuleset, inputs: EngineInputs, state: EngineState): { ctx: Record<string, unknown>; score: number } {
  const ctx = contextOf(inputs, state);
  const score = round6(toNumber(rs.outcome.score(ctx)));
  ctx.score = score;
  ctx.outcome = { score, ended: state.ended?.how ?? null };
  return { ctx, score };
}

function qualityIn(rs: CompiledRuleset, ctx: Record<string, unknown>, score: number): number {
  return rs.outcome.quality ? round6(clamp01(toNumber(rs.outcome.quality(ctx)))) : defaultQuality(score);
}

/** The quality an attempt in `state` would write on its outputs on success (what outcome() reports). */
export function outcomeQuality(rs: CompiledRuleset, inputs: EngineInputs, state: EngineState): number {
  const { ctx, score } = outcomeContext(rs, inputs, state);
  return qualityIn(rs, ctx, score);
}

export function outcome(rs: CompiledRuleset, inputs: EngineInputs, state: EngineState, draw: Draw): RuleOutcome {
  const o = rs.outcome;
  const { ctx, score } = outcomeContext(rs, inputs, state);
  let success: boolean;
  let band: (typeof o.bands)[number] | null = null;
  let lossRange: CompiledLoss | null = null;

  if (o.mode === 'bands') {
    for (const b of o.bands) if (score >= b.min) band = b;
    const index = band ? o.bands.indexOf(band) : -1;
    success = !!band?.success;
    lossRange = index >= 0 ? (o.bandLoss[index] ?? null) : null;
  } else {
    success = o.success ? toBoolean(o.success(ctx)) : state.ended?.how === 'success';
    lossRange = o.failureLoss;
  }
  // Ending by a `fail` effect (an explosion) is a failure whatever the score, with its own loss.
  if (state.ended?.how === 'fail') {
    success = false;
    lossRange = o.failLoss ?? lossRange;
  }

  if (!success) {
    return {
      score,
      success: false,
      band: band?.name ?? null,
      outputMultiplier: 0,
      quality: null,
      grade: band?.grade ?? null,
      traits: [],
      rare: [],
      attributes: {},
      rarity: null,
      loss: rollLoss(lossRange ?? rs.attempts.loss, ctx, draw, 1),
      breaksTarget: o.breaksTarget ? toBoolean(o.breaksTarget(ctx)) : false,
      variant: null,
    };
  }

  let multiplier = band?.outputMultiplier ?? 1;
  if (o.outputMultiplier) multiplier *= Math.max(0, toNumber(o.outputMultiplier(ctx)));
  const traits = [...(band?.traits ?? [])];
  for (const b of [...o.breakpoints, ...inputs.recipeTraits]) if (score >= b.min) traits.push(...b.traits);
  let grade = band?.grade ?? null;
  if (o.grades) {
    const value = toNumber(o.grades.value(ctx));
    for (const g of o.grades.names) if (value >= g.min) grade = g.name;
  }
  if (state.attempt === 1 && rs.attempts.firstTry && draw('bonus') < clamp01(toNumber(rs.attempts.firstTry.chance(ctx)))) {
    traits.push(...rs.attempts.firstTry.traits);
  }
  const m = rs.materials;
  const summary = completeContext(inputs.materials);
  traits.push(...tagTraits(m.tagTraits, summary));
  if (m.inherit) traits.push(...inheritedTraits(m.inherit, summary, inputs.chosenTraits));
  const rarity = m.rarity ? m.rarity.scale[outputRarity(m.rarity, summary, m.rarity.valueFn ? toNumber(m.rarity.valueFn(ctx)) : null)]! : null;
  const rare: string[] = [];
  for (const r of rs.rareEvents) {
    if (draw('rare') >= clamp01(toNumber(r.chance(ctx)))) continue;
    rare.push(r.code);
    traits.push(...r.traits);
    if (r.grade) grade = r.grade;
    if (r.outputMultiplier !== null) multiplier *= r.outputMultiplier;
  }
  return {
    score,
    success: true,
    band: band?.name ?? null,
    outputMultiplier: multiplier,
    quality: qualityIn(rs, ctx, score),
    grade,
    traits: [...new Set(traits)],
    rare,
    attributes: Object.fromEntries(o.attributes.map(([name, fn]) => [name, Math.round(toNumber(fn(ctx)) * 1e6) / 1e6])),
    rarity,
    loss: 0,
    breaksTarget: false,
    variant: variantIn(o.variants, ctx),
  };
}

/** The first variant whose `when` holds. */
function variantIn(variants: CompiledRuleset['outcome']['variants'], ctx: Record<string, unknown>): RuleOutcome['variant'] {
  for (const v of variants) if (toBoolean(v.when(ctx))) return { output: v.output, itemTemplateCode: v.itemTemplateCode };
  return null;
}
