import { describe, expect, it } from 'vitest';
import {
  biasedWeight,
  DEFAULT_QUALITY_CURVE,
  pickWeighted,
  tierBias,
  tierOdds,
  valuePercentile,
} from '../../../src/domain/affix/quality-curve.js';

const QUALITIES = Array.from({ length: 21 }, (_, i) => i / 20);

describe('tier bias (tier 1 = best)', () => {
  it('tierBias_neutralQuality_leavesEveryWeightUnchanged', () => {
    for (const tier of [1, 2, 3, 5, 10]) expect(tierBias(tier, 0.5)).toBe(1);
    expect(biasedWeight(400, 7, 0.5)).toBe(400);
  });

  it('tierBias_tierOne_isAlwaysOne', () => {
    for (const q of QUALITIES) expect(tierBias(1, q)).toBe(1);
  });

  it('tierBias_extremes_areTierStepPerStep', () => {
    expect(tierBias(2, 1)).toBeCloseTo(1 / 3, 12);
    expect(tierBias(3, 1)).toBeCloseTo(1 / 9, 12);
    expect(tierBias(2, 0)).toBeCloseTo(3, 12);
    expect(tierBias(4, 0, { ...DEFAULT_QUALITY_CURVE, tierStep: 2 })).toBeCloseTo(8, 12);
  });

  it('betterTierOdds_riseStrictlyWithQuality_forEveryPair', () => {
    for (const [better, worse] of [[1, 2], [1, 5], [2, 3], [3, 8]] as const) {
      const odds = QUALITIES.map((q) => tierBias(better, q) / tierBias(worse, q));
      for (let i = 1; i < odds.length; i++) expect(odds[i]!).toBeGreaterThan(odds[i - 1]!);
    }
  });

  it('tierOdds_bestTierProbability_risesWithQuality_andMatchesBaseWeightsAtNeutral', () => {
    // A PoE-like pool: the best tier is the rarest.
    const pool = [
      { tier: 1, weight: 100 },
      { tier: 2, weight: 300 },
      { tier: 3, weight: 600 },
    ];
    expect(tierOdds(pool, 0.5).map((p) => Number(p.toFixed(12)))).toEqual([0.1, 0.3, 0.6]);
    const best = QUALITIES.map((q) => tierOdds(pool, q)[0]!);
    const worst = QUALITIES.map((q) => tierOdds(pool, q)[2]!);
    for (let i = 1; i < best.length; i++) {
      expect(best[i]!).toBeGreaterThan(best[i - 1]!);
      expect(worst[i]!).toBeLessThan(worst[i - 1]!);
    }
    // Quality never makes the rare tier certain nor the common one impossible.
    expect(tierOdds(pool, 1)[0]!).toBeLessThan(0.5);
    expect(tierOdds(pool, 1)[2]!).toBeGreaterThan(0.1);
  });

  it('biasedWeight_zeroOrNegativeWeight_isZero', () => {
    expect(biasedWeight(0, 1, 1)).toBe(0);
    expect(biasedWeight(-5, 1, 1)).toBe(0);
  });

  it('tierBias_qualityOutsideRange_isClamped', () => {
    expect(tierBias(3, 2)).toBe(tierBias(3, 1));
    expect(tierBias(3, -1)).toBe(tierBias(3, 0));
  });
});

describe('value percentile', () => {
  it('valuePercentile_neutralQuality_isCentredOnHalf', () => {
    expect(valuePercentile(0.5, 0)).toBeCloseTo(0.3, 12);
    expect(valuePercentile(0.5, 0.5)).toBeCloseTo(0.5, 12);
    expect(valuePercentile(0.5, 1)).toBeCloseTo(0.7, 12);
  });

  it('valuePercentile_bands_atTheExtremes', () => {
    expect(valuePercentile(1, 0)).toBeCloseTo(0.6, 12);
    expect(valuePercentile(1, 1)).toBe(1);
    expect(valuePercentile(0, 0)).toBe(0);
    expect(valuePercentile(0, 1)).toBeCloseTo(0.4, 12);
  });

  it('valuePercentile_isMonotoneInQualityAndInRoll_andStaysInUnitRange', () => {
    const rolls = [0, 0.13, 0.5, 0.77, 0.999];
    for (const r of rolls) {
      const byQuality = QUALITIES.map((q) => valuePercentile(q, r));
      for (let i = 1; i < byQuality.length; i++) expect(byQuality[i]!).toBeGreaterThan(byQuality[i - 1]!);
    }
    for (const q of QUALITIES) {
      const byRoll = rolls.map((r) => valuePercentile(q, r));
      for (let i = 1; i < byRoll.length; i++) expect(byRoll[i]!).toBeGreaterThan(byRoll[i - 1]!);
      for (const p of byRoll) expect(p >= 0 && p <= 1).toBe(true);
    }
    expect(valuePercentile(3, 3)).toBe(1);
    expect(valuePercentile(-1, -1)).toBe(0);
  });

  it('valuePercentile_meanOverRolls_isLinearInQuality', () => {
    const mean = (q: number) => {
      let sum = 0;
      for (let i = 0; i < 1000; i++) sum += valuePercentile(q, (i + 0.5) / 1000);
      return sum / 1000;
    };
    expect(mean(0.5)).toBeCloseTo(0.5, 6);
    expect(mean(1)).toBeCloseTo(0.8, 6);
    expect(mean(0)).toBeCloseTo(0.2, 6);
  });
});

describe('pickWeighted', () => {
  const entries = [
    { id: 'a', w: 1 },
    { id: 'b', w: 0 },
    { id: 'c', w: 3 },
  ];

  it('pickWeighted_rollsMapToCumulativeWeights_skippingZeroWeights', () => {
    expect(pickWeighted(entries, (e) => e.w, 0)!.id).toBe('a');
    expect(pickWeighted(entries, (e) => e.w, 0.249)!.id).toBe('a');
    expect(pickWeighted(entries, (e) => e.w, 0.25)!.id).toBe('c');
    expect(pickWeighted(entries, (e) => e.w, 0.9999999)!.id).toBe('c');
    expect(pickWeighted(entries, (e) => e.w, 1)!.id).toBe('c');
  });

  it('pickWeighted_noPositiveWeight_isNull', () => {
    expect(pickWeighted([], () => 1, 0.5)).toBeNull();
    expect(pickWeighted(entries, () => 0, 0.5)).toBeNull();
  });

  it('pickWeighted_frequencies_followTheWeights', () => {
    const counts: Record<string, number> = { a: 0, c: 0 };
    for (let i = 0; i < 4000; i++) counts[pickWeighted(entries, (e) => e.w, (i + 0.5) / 4000)!.id]! += 1;
    expect(counts).toEqual({ a: 1000, c: 3000 });
  });
});
