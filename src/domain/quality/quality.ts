/**
 * The seed-004 quality formula, as ARCHITECTURE.md ("Our answers to what the seed
 * leaves open") fixes it. Sessions and estimates compute it as the default ruleset
 * (src/domain/rules/spec-ruleset.ts, ADR 0010); this module keeps the factor derivations
 * they feed it (material mean, proficiency factor, tool factor), the output quality and
 * bands, and the formula written out, which the tests use as the reference:
 *
 *   quality = clamp01( materialQuality   * w.materialQuality
 *                    + proficiencyFactor * w.proficiencyLevel
 *                    + toolFactor        * w.toolQuality
 *                    + sum(stepBonuses)            (together within [-0.1, +0.1])
 *                    + collaborationBonus )
 *
 * All values are normalised to [0, 1]; 0.5 is "average / unknown".
 */

/** Quality assumed for anything whose quality is unknown. */
export const NEUTRAL_QUALITY = 0.5;

/** Skill-check bonuses of a session together stay within +/- this. */
export const MAX_STEP_BONUS_TOTAL = 0.1;

/** The lowest proficiency factor a recipe's default mastery level is derived from. */
export const MIN_DEFAULT_MASTERY_LEVEL = 10;

export interface QualityWeights {
  materialQuality: number;
  proficiencyLevel: number;
  toolQuality: number;
}

export interface QualityFactors {
  material: number;
  proficiency: number;
  tool: number;
}

export type QualityBand = 'low' | 'medium' | 'high';

/** Lower bounds of the medium and high bands (low < 0.4 <= medium < 0.7 <= high). */
export const QUALITY_BAND_LIMITS = { medium: 0.4, high: 0.7 } as const;

/** Representative quality of each band (its midpoint), for previews. */
export const QUALITY_BAND_MIDPOINTS: Record<QualityBand, number> = { low: 0.2, medium: 0.55, high: 0.85 };

/** Decimal places quality values are stored and answered with (no float noise such as 0.030000000000000006). */
export const QUALITY_DECIMALS = 6;

export function roundQuality(x: number): number {
  const f = 10 ** QUALITY_DECIMALS;
  return Math.round(x * f) / f;
}

export function clamp01(x: number): number {
  if (Number.isNaN(x)) return 0;
  return Math.min(1, Math.max(0, x));
}

export function clamp(x: number, min: number, max: number): number {
  return Math.min(max, Math.max(min, x));
}

/** An item instance's quality: its `quality` metadata when a number in [0, 1], else unknown (null). */
export function instanceQuality(metadata: Record<string, unknown> | null | undefined): number | null {
  const q = metadata?.quality;
  return typeof q === 'number' && q >= 0 && q <= 1 ? q : null;
}

/**
 * Quantity-weighted mean of the input instances' quality; an instance of unknown
 * quality counts as 0.5, and no inputs at all (or only zero quantities) give 0.5.
 */
export function materialQuality(inputs: readonly { quantity: number; quality: number | null }[]): number {
  let weight = 0;
  let sum = 0;
  for (const input of inputs) {
    if (!(input.quantity > 0)) continue;
    const q = input.quality == null ? NEUTRAL_QUALITY : clamp01(input.quality);
    weight += input.quantity;
    sum += q * input.quantity;
  }
  return weight > 0 ? sum / weight : NEUTRAL_QUALITY;
}

/** A recipe's mastery level when it sets none: max(10, 2 x its highest minimumLevel). */
export function defaultMasteryLevel(requirements: readonly { minimumLevel: number }[]): number {
  const highest = requirements.reduce((max, r) => Math.max(max, r.minimumLevel), 0);
  return Math.max(MIN_DEFAULT_MASTERY_LEVEL, 2 * highest);
}

/** min(1, level / masteryLevel): 0 at level 0, 1 at or beyond the mastery level. */
export function proficiencyFactor(level: number, masteryLevel: number): number {
  if (!(level > 0)) return 0;
  if (!(masteryLevel > 0)) return 1;
  return Math.min(1, level / masteryLevel);
}

/**
 * The tools' mean quality averaged with the station's when both are present;
 * whichever is present alone; 0.5 when neither is.
 */
export function toolFactor(toolQualities: readonly number[], stationQuality: number | null): number {
  const tools = toolQualities.length > 0 ? toolQualities.reduce((s, q) => s + clamp01(q), 0) / toolQualities.length : null;
  const station = stationQuality == null ? null : clamp01(stationQuality);
  if (tools !== null && station !== null) return (tools + station) / 2;
  return tools ?? station ?? NEUTRAL_QUALITY;
}

/**
 * Score of one skill-check step in [0, 1]: the caller's reported performance (a
 * mini-game result) when given, else a session-RNG roll blended with proficiency.
 */
export function skillScore(performance: number | null | undefined, roll: number, proficiencyFactor: number): number {
  if (performance != null) return clamp01(performance);
  return clamp01(0.5 * roll + 0.5 * proficiencyFactor);
}

/**
 * Bonus of one skill-check step: (score - 0.5) * 0.2 / skillCheckCount, so the
 * bonuses of all skill checks of a recipe together lie in [-0.1, +0.1].
 */
export function stepBonus(score: number, skillCheckCount: number): number {
  if (!(skillCheckCount > 0)) return 0;
  return ((clamp01(score) - 0.5) * 2 * MAX_STEP_BONUS_TOTAL) / skillCheckCount;
}

/** The weighted sum of the three factors (not clamped; weights sum to 1 so it is in [0, 1]). */
export function baseQuality(factors: QualityFactors, weights: QualityWeights): number {
  return (
    factors.material * weights.materialQuality +
    factors.proficiency * weights.proficiencyLevel +
    factors.tool * weights.toolQuality
  );
}

export interface FinalQualityInput extends QualityFactors {
  weights: QualityWeights;
  stepBonuses: readonly number[];
  collaborationBonus?: number;
}

/**
 * clamp01(base + sum(step bonuses) + collaboration bonus). The step bonuses are
 * bounded by construction (see stepBonus); their sum is additionally clamped to
 * [-0.1, +0.1] so no input can push it beyond what the formula allows.
 */
export function finalQuality(input: FinalQualityInput): number {
  const bonuses = input.stepBonuses.reduce((s, b) => s + b, 0);
  const stepTotal = clamp(bonuses, -MAX_STEP_BONUS_TOTAL, MAX_STEP_BONUS_TOTAL);
  return clamp01(baseQuality(input, input.weights) + stepTotal + (input.collaborationBonus ?? 0));
}

/**
 * Quality an output item receives: qualityInfluence * quality + (1 - influence) * 0.5.
 * Influence 1 passes the craft's quality through; influence 0 means the output is
 * always of average quality (0.5) whatever the craft achieved.
 */
export function outputQuality(quality: number, qualityInfluence: number): number {
  const influence = clamp01(qualityInfluence);
  return clamp01(influence * quality + (1 - influence) * NEUTRAL_QUALITY);
}

/** low < 0.4 <= medium < 0.7 <= high. */
export function qualityBand(quality: number): QualityBand {
  if (quality >= QUALITY_BAND_LIMITS.high) return 'high';
  if (quality >= QUALITY_BAND_LIMITS.medium) return 'medium';
  return 'low';
}
