import { MAX_STEP_BONUS_TOTAL, NEUTRAL_QUALITY, qualityBand, type QualityBand, type QualityFactors, type QualityWeights, roundQuality } from '../quality/quality.js';
import { rngFor } from '../rng.js';
import { applyInPlace, restart, type Draw, type EngineState } from '../rules/engine.js';
import { specAction, specQuality, specSession } from '../rules/spec-ruleset.js';

/**
 * Quality estimates (query/estimate-quality) of recipes without a ruleset: the deterministic
 * breakdown of the quality formula and a seeded simulation of a session's skill checks. Pure:
 * both run the default ruleset a real session plays (src/domain/rules/spec-ruleset.ts), so an
 * estimate and a session given the same factors agree by construction.
 */

/** The seed used when a request gives none: fixed, so the same request gives the same answer. */
export const DEFAULT_ESTIMATE_SEED = 0;

export interface EstimateInput extends QualityFactors {
  weights: QualityWeights;
  /** Collaboration bonus the session would get (0 for a solo crafter). */
  collaborationBonus?: number;
}

export interface QualityBreakdown {
  materialContribution: number;
  proficiencyContribution: number;
  toolContribution: number;
  /** clamp01(the three contributions + collaboration bonus): the quality with neutral skill checks. */
  estimatedQuality: number;
}

/**
 * The deterministic part of the formula: each factor times its weight, and their sum
 * (plus the collaboration bonus) clamped to [0, 1], i.e. the final quality of a session
 * whose every skill check scores exactly 0.5 (bonus 0). The skill checks' expected
 * effect is in the simulated distribution's mean (see `expectedStepBonusTotal`).
 */
export function qualityBreakdown(input: EstimateInput): QualityBreakdown {
  return {
    materialContribution: roundQuality(input.material * input.weights.materialQuality),
    proficiencyContribution: roundQuality(input.proficiency * input.weights.proficiencyLevel),
    toolContribution: roundQuality(input.tool * input.weights.toolQuality),
    estimatedQuality: qualityWith(input, 0),
  };
}

/**
 * Expected sum of the step bonuses of a session whose skill checks are all rolled (no
 * performance reported): a roll r ~ U[0, 1) scores 0.5 r + 0.5 p, so each of the n checks
 * adds (0.25 + 0.5 p - 0.5) x 0.2 / n on average, together 0.1 p - 0.05 (0 without checks).
 */
export function expectedStepBonusTotal(skillCheckCount: number, proficiencyFactor: number): number {
  if (!(skillCheckCount > 0)) return 0;
  return 2 * MAX_STEP_BONUS_TOTAL * (0.5 * proficiencyFactor - 0.25);
}

/**
 * Expected final quality with rolled skill checks: clamp01(base + expected bonuses). Exact
 * unless clamping to [0, 1] bites for some rolls; used to rank recipes (best_recipe).
 */
export function expectedQuality(input: EstimateInput, skillCheckCount: number): number {
  return qualityWith(input, expectedStepBonusTotal(skillCheckCount, input.proficiency));
}

/** The default ruleset's quality with these factors and a bonus total (rounded to 6 places). */
function qualityWith(input: EstimateInput, bonusTotal: number): number {
  const { rs, inputs, state } = specSession({ steps: [], factors: input, weights: input.weights, collaborationBonus: input.collaborationBonus ?? 0 }, { stepsDone: 0, bonusTotal });
  return specQuality(rs, inputs, state);
}

export interface SimulationInput extends EstimateInput {
  /** The recipe's steps in order; only `skillCheck` matters. */
  steps: readonly { skillCheck?: boolean | null }[];
  simulations: number;
  seed: string;
}

export interface QualityDistribution {
  mean: number;
  p10: number;
  p50: number;
  p90: number;
  min: number;
  max: number;
  simulations: number;
  bandChances: Record<QualityBand, number>;
}

/** The stream every simulation draws its rolls from, in order. */
export const SIMULATION_STREAM = 'simulation';

/**
 * Runs `simulations` sessions of the default ruleset without performance. With c skill
 * checks, simulation n takes draws n*c .. n*c+c-1 of `rngFor(seed, SIMULATION_STREAM)` for its
 * checks in step order: each step is the ruleset's action, applied by the engine exactly as a
 * session's advance applies it, and the quality is the one completion reads. Deterministic in
 * (input, seed).
 */
export function simulateQuality(input: SimulationInput): QualityDistribution {
  const n = Math.max(1, Math.floor(input.simulations));
  const rng = rngFor(input.seed, SIMULATION_STREAM);
  const draw: Draw = () => rng();
  const { rs, inputs, state: start } = specSession({ steps: input.steps, factors: input, weights: input.weights, collaborationBonus: input.collaborationBonus ?? 0 });
  const actions = input.steps.map((_, i) => specAction(i));
  const results = new Float64Array(n);
  // One state put back to the start before each simulation (engine.ts restart): no allocation per simulation.
  const state: EngineState = { ...start, pools: { ...start.pools }, buffs: {}, attemptUses: {}, sessionUses: {} };
  for (let sim = 0; sim < n; sim++) {
    restart(state, start);
    for (const action of actions) applyInPlace(rs, inputs, state, action, { performance: null }, draw);
    results[sim] = specQuality(rs, inputs, state);
  }
  return summarize(results);
}

/**
 * Mean, nearest-rank percentiles (the p-th is the ceil(p x N)-th smallest value, so every
 * reported value is one a simulated session reached), extremes and the share of each band.
 */
export function summarize(values: ArrayLike<number>): QualityDistribution {
  if (values.length === 0) {
    return {
      mean: NEUTRAL_QUALITY,
      p10: NEUTRAL_QUALITY,
      p50: NEUTRAL_QUALITY,
      p90: NEUTRAL_QUALITY,
      min: NEUTRAL_QUALITY,
      max: NEUTRAL_QUALITY,
      simulations: 0,
      bandChances: { low: 0, medium: 0, high: 0 },
    };
  }
  const sorted = Float64Array.from(values).sort();
  const count = sorted.length;
  const rank = (p: number) => sorted[Math.min(count - 1, Math.max(0, Math.ceil(p * count) - 1))]!;
  const bands: Record<QualityBand, number> = { low: 0, medium: 0, high: 0 };
  let sum = 0;
  for (const v of sorted) {
    sum += v;
    bands[qualityBand(v)]++;
  }
  return {
    mean: roundQuality(Math.min(1, Math.max(0, sum / count))),
    p10: roundQuality(rank(0.1)),
    p50: roundQuality(rank(0.5)),
    p90: roundQuality(rank(0.9)),
    min: roundQuality(sorted[0]!),
    max: roundQuality(sorted[count - 1]!),
    simulations: count,
    bandChances: { low: bands.low / count, medium: bands.medium / count, high: bands.high / count },
  };
}
