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
    const hit = rng() < rule.probability;
    const bonus = !hit && quality > BONUS_QUALITY_THRESHOLD && rng() < quality - BONUS_QUALITY_THRESHOLD;
    const spread = (rng() * 2 - 1) * rule.quantityVariance;
    if (!hit && !bonus) continue;
    const quantity = Math.round(Math.max(0, rule.baseQuantity + spread) * extractionMultiplier(quality));
    if (quantity > 0) out.push({ itemTemplateCode: rule.itemTemplateCode, quantity });
  }
  return out;
}

/** Expected quantity of each output at a quality (output-preview). */
export function expectedExtraction(rules: readonly ExtractionOutputRule[], quality: number) {
  return rules.map((rule) => {
    const chance = rule.probability + (1 - rule.probability) * Math.max(0, quality - BONUS_QUALITY_THRESHOLD);
    return {
      itemTemplateCode: rule.itemTemplateCode,
      probability: Math.min(1, chance),
      quantity: Math.max(0, rule.baseQuantity) * extractionMultiplier(quality),
    };
  });
}
