import { describe, expect, it } from 'vitest';
import { extractionChances, rollExtraction, type ExtractionOutputRule } from '../../../src/domain/extraction/extraction.js';
import { rngFor } from '../../../src/domain/rng.js';

/** Share of `n` rolls (rollExtraction with one rule) that yield each quantity. */
function sampled(rule: ExtractionOutputRule, quality: number, n = 200_000) {
  const rng = rngFor('extraction-test', `${rule.itemTemplateCode}:${quality}`);
  const counts = new Map<number, number>();
  for (let i = 0; i < n; i++) {
    for (const o of rollExtraction([rule], quality, rng)) counts.set(o.quantity, (counts.get(o.quantity) ?? 0) + 1);
  }
  return new Map([...counts].map(([k, c]) => [k, c / n]));
}

const RULES: [ExtractionOutputRule, number][] = [
  // The seed's Salvage Weapon: leather_strip 0 +/- 1 at 50 %, iron_ingot 2 +/- 1 at 100 %.
  [{ itemTemplateCode: 'leather_strip', baseQuantity: 0, quantityVariance: 1, probability: 0.5 }, 0.55],
  [{ itemTemplateCode: 'iron_ingot', baseQuantity: 2, quantityVariance: 1, probability: 1 }, 0.55],
  [{ itemTemplateCode: 'gem', baseQuantity: 1, quantityVariance: 0, probability: 0.1 }, 0.9],
  [{ itemTemplateCode: 'dust', baseQuantity: 3.2, quantityVariance: 2.5, probability: 0.7 }, 0.2],
  [{ itemTemplateCode: 'none', baseQuantity: 0.2, quantityVariance: 0, probability: 1 }, 0.1],
];

describe('extractionChances', () => {
  it('salvageWeapon_atQuality055_leatherStripIsOneWithChance0131', () => {
    const [chances] = [extractionChances(RULES[0]![0], 0.55)];
    expect(chances).toHaveLength(1);
    expect(chances[0]!.quantity).toBe(1);
    // 0.5 (probability) x P(round(1.05 s) >= 1) = 0.5 x (1 - 0.5 / 1.05) / 2.
    expect(chances[0]!.probability).toBeCloseTo(0.5 * ((1 - 0.5 / 1.05) / 2), 12);
    expect(chances[0]!.probability).toBeCloseTo(0.131, 3);
  });

  it('everyRule_matchesWhatTheRollsYield_quantityByQuantity', () => {
    for (const [rule, quality] of RULES) {
      const exact = new Map(extractionChances(rule, quality).map((c) => [c.quantity, c.probability]));
      const rolled = sampled(rule, quality);
      expect([...exact.keys()].sort(), rule.itemTemplateCode).toEqual([...rolled.keys()].sort());
      for (const [k, p] of exact) expect(Math.abs(p - rolled.get(k)!), `${rule.itemTemplateCode} x${k}`).toBeLessThan(0.005);
    }
  });

  it('wideVariance_groupsQuantitiesIntoRanges_whoseChancesStillSumUp', () => {
    const rule = { itemTemplateCode: 'ore', baseQuantity: 500, quantityVariance: 400, probability: 1 };
    const chances = extractionChances(rule, 0.5);
    expect(chances).toHaveLength(10);
    expect(chances[0]).toMatchObject({ quantity: 100 });
    expect(chances[9]!.maxQuantity).toBe(900);
    for (let i = 1; i < chances.length; i++) expect(chances[i]!.quantity).toBe(chances[i - 1]!.maxQuantity! + 1);
    expect(chances.reduce((s, c) => s + c.probability, 0)).toBeCloseTo(1, 12);
  });
});
