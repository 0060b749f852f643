import type { Rng } from '../rng.js';

export interface ExtractionOutputRule {
  itemTemplateCode: string;
  baseQuantity: number;
  quantityVariance: number;
  probability: number;
}

/** Quantities scale with quality: x0.5 at quality 0, x1 at 0.5, x1.5 at 1. */
export function extractionMultiplier(quality: number): number {
  return 0.5 + quality;
}

/** Above this quality an output that missed its probability roll gets a second chance. */
export const BONUS_QUALITY_THRESHOLD = 0.7;

/**
 * Rolls an extraction's outputs from the session RNG (deterministic per session):
 * each output appears with its probability (a second chance of `quality - 0.7` when quality
 * is above 0.7: the "bonus rare materials" of the seed); its quantity is
 * round((baseQuantity +/- variance uniformly) x (0.5 + quality)), in whole units; zero
 * quantities are dropped.
 */
export function rollExtraction(rules: readonly ExtractionOutputRule[], quality: number, rng: Rng) {
  const out: { itemTemplateCode: string; quantity: number }[] = [];
  for (const rule of rules) {
    // productionChance and extractionChances describe exactly this rule: change them together.
    const hit = rng() < rule.probability;
    const bonus = !hit && quality > BONUS_QUALITY_THRESHOLD && rng() < quality - BONUS_QUALITY_THRESHOLD;
    const spread = (rng() * 2 - 1) * rule.quantityVariance;
    if (!hit && !bonus) continue;
    const quantity = Math.round(Math.max(0, rule.baseQuantity + spread) * extractionMultiplier(quality));
    if (quantity > 0) out.push({ itemTemplateCode: rule.itemTemplateCode, quantity });
  }
  return out;
}

/** Chance an output is produced at all: its probability, or the bonus second chance above 0.7. */
export function productionChance(probability: number, quality: number): number {
  const bonus = quality > BONUS_QUALITY_THRESHOLD ? quality - BONUS_QUALITY_THRESHOLD : 0;
  return Math.min(1, probability + (1 - probability) * bonus);
}

export interface QuantityChance {
  /** A whole quantity a roll yields (the lowest of a range when `maxQuantity` is set). */
  quantity: number;
  /** The highest quantity of the range this entry covers; null = exactly `quantity`. */
  maxQuantity: number | null;
  /** Chance that one roll yields this quantity (any of the range). */
  probability: number;
}

/**
 * The distribution `rollExtraction` draws one output's quantity from, worked out exactly
 * instead of sampled: produced with `productionChance`, then x = max(0, base + s) with s
 * uniform in [-variance, variance), quantity = round(x (0.5 + quality)), and a quantity of 0
 * is no output. Whole quantities with a chance above 0, in order; more than `maxEntries` of
 * them are grouped into that many ranges of neighbouring quantities.
 */
export function extractionChances(rule: ExtractionOutputRule, quality: number, maxEntries = 10): QuantityChance[] {
  const chance = productionChance(rule.probability, quality);
  const m = extractionMultiplier(quality);
  const base = Math.max(0, rule.baseQuantity);
  const v = rule.quantityVariance;
  if (chance <= 0) return [];
  if (!(v > 0)) {
    const k = Math.round(base * m);
    return k > 0 ? [{ quantity: k, maxQuantity: null, probability: chance }] : [];
  }
  const lo = rule.baseQuantity - v;
  const hi = rule.baseQuantity + v;
  // x lands in [(k - 0.5) / m, (k + 0.5) / m) for quantity k; share of the spread's range:
  const share = (fromK: number, toK: number) => Math.max(0, Math.min((toK + 0.5) / m, hi) - Math.max((fromK - 0.5) / m, lo)) / (2 * v);
  const first = Math.max(1, Math.round(Math.max(0, lo) * m));
  const last = Math.round(Math.max(0, hi) * m);
  if (last < first) return [];
  const count = last - first + 1;
  const groups = Math.min(count, maxEntries);
  const out: QuantityChance[] = [];
  for (let g = 0; g < groups; g++) {
    const from = first + Math.floor((g * count) / groups);
    const to = first + Math.floor(((g + 1) * count) / groups) - 1;
    const p = chance * share(from, to);
    if (p > 0) out.push({ quantity: from, maxQuantity: to > from ? to : null, probability: p });
  }
  return out;
}
