/**
 * How a modification session's quality (0-1) shapes the affix it rolls (seed 004, design
 * consideration 1: "quality-to-affix mapping"). Two effects, both neutral at quality 0.5
 * (an average crafter rolls exactly like the affix service's own pool):
 *
 * (a) Tier choice. Tier 1 is the best tier, higher numbers are weaker. A candidate's weight
 *     is its pool weight x tierBias(tier, quality), with
 *
 *         tierBias(tier, q) = tierStep ^ ((tier - 1) x (1 - 2q))          (tierStep = 3)
 *
 *     - q = 0.5: the exponent is 0, every bias is 1: weights unchanged.
 *     - q > 0.5: each tier worse than tier 1 is divided by tierStep^(2q-1) per tier step, so
 *       better tiers become relatively more likely; at q = 1 a tier one step worse counts
 *       1/3 as much, two steps worse 1/9.
 *     - q < 0.5: the mirror image (at q = 0 each step worse counts 3x as much).
 *     The odds of a better tier against a worse one, bias(better)/bias(worse) =
 *     tierStep^((worse - better) x (2q - 1)), rise strictly with q: "higher quality => better
 *     tiers more likely" holds for every pair, whatever the base weights. Only ratios matter,
 *     so the curve needs no knowledge of how many tiers a game has. A multiplicative curve
 *     (rather than "quality 0.8 = 80th-percentile tier") keeps the game's own rarity weights
 *     in charge: a T1 that is 100x rarer than a T5 stays rare, only less so.
 *
 * (b) Value within the tier's range. A roll r in [0, 1) from the session RNG gives
 *
 *         percentile = clamp01(qualityShare x q + (1 - qualityShare) x r)   (qualityShare = 0.6)
 *
 *     At q = 0.5 the percentile is uniform on [0.3, 0.7] (mean 0.5: neutral); at q = 1 it lies
 *     in [0.6, 1.0], at q = 0 in [0, 0.4]. It rises with both quality and roll, and quality
 *     never removes the randomness entirely (a 40% band).
 *
 * Both constants are parameters (`QualityCurve`), so a game can tune the curve per recipe or
 * deployment later without touching the executor.
 */
import { clamp01 } from '../quality/quality.js';

export interface QualityCurve {
  /** Weight factor per tier step at the extremes (quality 0 or 1); > 1. Default 3. */
  tierStep: number;
  /** Share of the value percentile decided by quality (the rest by the roll), 0-1. Default 0.6. */
  qualityShare: number;
}

export const DEFAULT_QUALITY_CURVE: QualityCurve = { tierStep: 3, qualityShare: 0.6 };

/** The quality at which neither tier odds nor value rolls are shifted. */
export const NEUTRAL_MODIFICATION_QUALITY = 0.5;

/** Multiplier of a candidate's weight for its tier (1 = best) at this quality; 1 at quality 0.5. */
export function tierBias(tier: number, quality: number, curve: QualityCurve = DEFAULT_QUALITY_CURVE): number {
  const steps = Math.max(0, tier - 1);
  return Math.pow(curve.tierStep, steps * (1 - 2 * clamp01(quality)));
}

/** A pool weight shifted by quality: weight x tierBias(tier, quality). */
export function biasedWeight(weight: number, tier: number, quality: number, curve: QualityCurve = DEFAULT_QUALITY_CURVE): number {
  if (!(weight > 0)) return 0;
  return weight * tierBias(tier, quality, curve);
}

/** Where a rolled value lands in its range (0-1): clamp01(share x quality + (1 - share) x roll). */
export function valuePercentile(quality: number, roll: number, curve: QualityCurve = DEFAULT_QUALITY_CURVE): number {
  const share = clamp01(curve.qualityShare);
  return clamp01(share * clamp01(quality) + (1 - share) * clamp01(roll));
}

/**
 * Picks one entry with probability proportional to its weight, from one roll in [0, 1).
 * Entries are taken in the given order (callers sort them, so the same roll picks the same
 * entry). Null when no entry has a positive weight.
 */
export function pickWeighted<T>(entries: readonly T[], weightOf: (entry: T) => number, roll: number): T | null {
  const weighted = entries.map((entry) => ({ entry, weight: Math.max(0, weightOf(entry) || 0) }));
  const total = weighted.reduce((sum, w) => sum + w.weight, 0);
  if (!(total > 0)) return null;
  let target = clamp01(roll) * total;
  let last: T | null = null;
  for (const w of weighted) {
    if (w.weight <= 0) continue;
    last = w.entry;
    if (target < w.weight) return w.entry;
    target -= w.weight;
  }
  return last; // roll rounding at the very top end
}

/** Probability of each entry under the quality-biased weights (for previews and tests). */
export function tierOdds<T extends { weight: number; tier: number }>(
  entries: readonly T[],
  quality: number,
  curve: QualityCurve = DEFAULT_QUALITY_CURVE,
): number[] {
  const weights = entries.map((e) => biasedWeight(e.weight, e.tier, quality, curve));
  const total = weights.reduce((a, b) => a + b, 0);
  return weights.map((w) => (total > 0 ? w / total : 0));
}
