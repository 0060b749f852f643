import { baseQuality, clamp, clamp01, finalQuality, MAX_STEP_BONUS_TOTAL, NEUTRAL_QUALITY, qualityBand, skillScore, stepBonus, type QualityBand, type QualityFactors, type QualityWeights, roundQuality } from '../quality/quality.js';
import { rngFor } from '../rng.js';

/**
 * Quality estimates (query/estimate-quality): the deterministic breakdown of the quality
 * formula and a seeded simulation of a session's skill checks. Pure: everything here uses
 * the functions a real session uses (src/domain/quality/quality.ts), so an estimate and a
 * session given the same factors agree.
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
    estimatedQuality: roundQuality(finalQuality({ ...input, stepBonuses: [], collaborationBonus: input.collaborationBonus ?? 0 })),
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
  return finalQuality({
    ...input,
    stepBonuses: [expectedStepBonusTotal(skillCheckCount, input.proficiency)],
    collaborationBonus: input.collaborationBonus ?? 0,
  });
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
 * Runs `simulations` sessions' skill checks without performance. With c skill checks,
 * simulation n takes draws n*c .. n*c+c-1 of `rngFor(seed, SIMULATION_STREAM)` for its
 * checks in step order, scores each with `skillScore(undefined, roll, proficiency)`, turns
 * it into `stepBonus(score, c)` and computes the final quality as `finalQuality` does
 * (clamp01(base + clamped sum of the bonuses + collaboration)), exactly as a session's
 * advance and completion do. Deterministic in (input, seed). The base is computed once and
 * one generator serves every roll: 1,000 simulations cost well under a millisecond.
 */
export function simulateQuality(input: SimulationInput): QualityDistribution {
  const checks = input.steps.reduce((count, s) => count + (s.skillCheck ? 1 : 0), 0);
  const n = Math.max(1, Math.floor(input.simulations));
  const rng = rngFor(input.seed, SIMULATION_STREAM);
  const base = baseQuality(input, input.weights);
  const collaboration = input.collaborationBonus ?? 0;
  const results = new Float64Array(n);
  for (let sim = 0; sim < n; sim++) {
    let bonuses = 0;
    // Rounded as a session stores them (roundQuality): the values reported are ones sessions reach.
    for (let k = 0; k < checks; k++) bonuses += roundQuality(stepBonus(skillScore(undefined, rng(), input.proficiency), checks));
    results[sim] = roundQuality(clamp01(base + clamp(bonuses, -MAX_STEP_BONUS_TOTAL, MAX_STEP_BONUS_TOTAL) + collaboration));
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
