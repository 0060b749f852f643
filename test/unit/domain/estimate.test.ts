import { describe, expect, it } from 'vitest';
import { allocateAvailable } from '../../../src/domain/estimate/materials.js';
import { outputPreview } from '../../../src/domain/estimate/preview.js';
import {
  SIMULATION_STREAM,
  expectedQuality,
  expectedStepBonusTotal,
  qualityBreakdown,
  simulateQuality,
  summarize,
} from '../../../src/domain/estimate/simulate.js';
import { finalQuality, qualityBand, roundQuality, skillScore, stepBonus } from '../../../src/domain/quality/quality.js';
import { rngFor } from '../../../src/domain/rng.js';

const seedWeights = { materialQuality: 0.3, proficiencyLevel: 0.5, toolQuality: 0.2 };
/** The seed's sword: materials 0.65, level 7 of 10, hammer 0.8 with a 0.8 forge; 2 of 4 steps are skill checks. */
const sword = { material: 0.65, proficiency: 0.7, tool: 0.8, weights: seedWeights };
const swordSteps = [{ skillCheck: true }, { skillCheck: true }, { skillCheck: false }, {}];

describe('qualityBreakdown', () => {
  it('qualityBreakdown_seedExample_contributionsAndNeutralChecksQuality', () => {
    const b = qualityBreakdown(sword);
    expect(b.materialContribution).toBeCloseTo(0.195, 12);
    expect(b.proficiencyContribution).toBeCloseTo(0.35, 12);
    expect(b.toolContribution).toBeCloseTo(0.16, 12);
    // Neutral skill checks (each scoring 0.5, bonus 0): the seed's 0.765 without its +0.06.
    expect(b.estimatedQuality).toBeCloseTo(0.705, 12);
  });

  it('qualityBreakdown_collaborationBonusBeyondOne_clampedToOne', () => {
    const b = qualityBreakdown({ material: 1, proficiency: 1, tool: 1, weights: seedWeights, collaborationBonus: 0.1 });
    expect(b.estimatedQuality).toBe(1);
  });
});

describe('simulateQuality', () => {
  it('simulate_sameInputAndSeed_sameDistribution', () => {
    const input = { ...sword, steps: swordSteps, simulations: 2000, seed: '42' };
    expect(simulateQuality(input)).toEqual(simulateQuality({ ...input }));
    expect(simulateQuality({ ...input, seed: '43' }).mean).not.toBe(simulateQuality(input).mean);
  });

  it('simulate_usesTheSessionFunctionsWithOneStreamDrawnInOrder', () => {
    // Three simulations, recomputed by hand: simulation n takes draws 2n and 2n+1.
    const three = simulateQuality({ ...sword, steps: swordSteps, simulations: 3, seed: '7' });
    const rng = rngFor('7', SIMULATION_STREAM);
    const expected = [0, 1, 2].map(() => {
      const bonuses = [0, 1].map(() => roundQuality(stepBonus(skillScore(undefined, rng(), 0.7), 2)));
      return roundQuality(finalQuality({ ...sword, stepBonuses: bonuses }));
    });
    const sorted = [...expected].sort((a, b) => a - b);
    expect(three).toMatchObject({ min: sorted[0], p50: sorted[1], max: sorted[2], simulations: 3 });
    expect(three.mean).toBeCloseTo((expected[0]! + expected[1]! + expected[2]!) / 3, 6);
    expect(three.bandChances[qualityBand(sorted[1]!)]).toBeGreaterThan(0);
  });

  it('simulate_meanMatchesAnalyticExpectation', () => {
    for (const [proficiency, steps] of [
      [0.7, swordSteps],
      [0.2, [{ skillCheck: true }]],
      [1, [{ skillCheck: true }, { skillCheck: true }, { skillCheck: true }]],
    ] as const) {
      const input = { ...sword, proficiency, steps, simulations: 10_000, seed: '1' };
      const checks = steps.filter((s) => 'skillCheck' in s && s.skillCheck).length;
      const analytic = expectedQuality(input, checks);
      // base + 0.1 p - 0.05: e.g. the seed's sword averages 0.705 + 0.02.
      expect(analytic).toBeCloseTo(qualityBreakdown(input).estimatedQuality + 0.1 * proficiency - 0.05, 12);
      // Standard error of the mean is below 0.0003 here (one check: sd 0.1 / sqrt(12)).
      expect(Math.abs(simulateQuality(input).mean - analytic)).toBeLessThan(0.0015);
    }
  });

  it('simulate_noSkillChecks_everySimulationIsTheBreakdown', () => {
    const d = simulateQuality({ ...sword, steps: [{}, { skillCheck: false }], simulations: 50, seed: '0' });
    const q = qualityBreakdown(sword).estimatedQuality;
    expect(d).toMatchObject({ p10: q, p50: q, p90: q, min: q, max: q, simulations: 50, bandChances: { low: 0, medium: 0, high: 1 } });
    expect(d.mean).toBeCloseTo(q, 12);
    expect(expectedStepBonusTotal(0, 0.7)).toBe(0);
  });

  it('simulate_distributionIsOrderedBoundedAndBandsSumToOne', () => {
    const d = simulateQuality({ material: 0.6, proficiency: 0.4, tool: 0.5, weights: seedWeights, steps: [{ skillCheck: true }], simulations: 1000, seed: '9' });
    expect(d.min).toBeLessThanOrEqual(d.p10);
    expect(d.p10).toBeLessThanOrEqual(d.p50);
    expect(d.p50).toBeLessThanOrEqual(d.p90);
    expect(d.p90).toBeLessThanOrEqual(d.max);
    // base 0.48, one check with p = 0.4: the score 0.5 r + 0.2 lies in [0.2, 0.7), the bonus in [-0.06, +0.04).
    expect(d.min).toBeGreaterThanOrEqual(0.42 - 1e-12);
    expect(d.max).toBeLessThan(0.52);
    expect(d.bandChances.low + d.bandChances.medium + d.bandChances.high).toBeCloseTo(1, 12);
    expect(d.bandChances).toEqual({ low: 0, medium: 1, high: 0 });
  });

  it('summarize_nearestRankPercentiles', () => {
    const values = Array.from({ length: 10 }, (_, i) => (i + 1) / 10); // 0.1 .. 1.0
    const d = summarize(values.reverse());
    expect(d).toMatchObject({ p10: 0.1, p50: 0.5, p90: 0.9, min: 0.1, max: 1, simulations: 10 });
    expect(d.mean).toBeCloseTo(0.55, 12);
    expect(d.bandChances).toEqual({ low: 0.3, medium: 0.3, high: 0.4 });
  });
});

describe('allocateAvailable', () => {
  const needs = [
    { itemTemplateCode: 'iron_ingot', quantity: 3 },
    { itemTemplateCode: 'leather_strip', quantity: 1 },
  ];

  it('allocateAvailable_enough_sameAsAStart', () => {
    const picks = allocateAvailable(needs, [
      { instanceId: 'a', itemTemplateCode: 'iron_ingot', quantity: 2, quality: 0.9 },
      { instanceId: 'b', itemTemplateCode: 'iron_ingot', quantity: 5, quality: 0.5 },
      { instanceId: 'c', itemTemplateCode: 'leather_strip', quantity: 1, quality: null },
    ]);
    expect(picks.map((p) => [p.instanceId, p.quantity, p.inputIndex])).toEqual([
      ['a', 2, 0],
      ['b', 1, 0],
      ['c', 1, 1],
    ]);
  });

  it('allocateAvailable_shortInput_takesWhatThereIs', () => {
    const picks = allocateAvailable(needs, [
      { instanceId: 'a', itemTemplateCode: 'iron_ingot', quantity: 2, quality: 0.9 },
      { instanceId: 'x', itemTemplateCode: 'other', quantity: 9, quality: 0.1 },
    ]);
    expect(picks.map((p) => [p.instanceId, p.quantity, p.inputIndex])).toEqual([['a', 2, 0]]);
  });

  it('allocateAvailable_twoInputsOfOneTemplate_shareTheStack', () => {
    const picks = allocateAvailable(
      [
        { itemTemplateCode: 'iron_ingot', quantity: 2 },
        { itemTemplateCode: 'iron_ingot', quantity: 2 },
      ],
      [{ instanceId: 'a', itemTemplateCode: 'iron_ingot', quantity: 3, quality: 0.9 }],
    );
    expect(picks.map((p) => [p.instanceId, p.quantity, p.inputIndex])).toEqual([
      ['a', 2, 0],
      ['a', 1, 1],
    ]);
  });
});

describe('outputPreview', () => {
  it('outputPreview_production_qualityScaledByInfluenceAtBandMidpoints', () => {
    const bands = outputPreview({
      recipeType: 'production',
      outputs: [
        { itemTemplateCode: 'iron_sword', quantity: 1, qualityInfluence: 1 },
        { itemTemplateCode: 'scrap', quantity: 2, qualityInfluence: 0 },
      ],
    });
    expect(bands.map((b) => [b.qualityLevel, b.qualityValue])).toEqual([
      ['low', 0.2],
      ['medium', 0.55],
      ['high', 0.85],
    ]);
    expect(bands[2]!.outputs).toEqual([
      { itemTemplateCode: 'iron_sword', quantity: 1, maxQuantity: null, quality: 0.85, probability: null },
      { itemTemplateCode: 'scrap', quantity: 2, maxQuantity: null, quality: 0.5, probability: null },
    ]);
  });

  it('outputPreview_extraction_eachWholeQuantityWithItsChance', () => {
    const bands = outputPreview({
      recipeType: 'extraction',
      extractionOutputs: [{ itemTemplateCode: 'iron_ingot', baseQuantity: 2, quantityVariance: 1, probability: 0.5 }],
    });
    // Low band (0.2): x = 2 + s in [1, 3), quantity round(0.7 x): 1 for x < 1.5 / 0.7, else 2.
    const low = bands[0]!.outputs;
    expect(low.map((o) => [o.quantity, o.maxQuantity, o.quality])).toEqual([
      [1, null, null],
      [2, null, null],
    ]);
    expect(low[0]!.probability).toBeCloseTo(0.5 * ((1.5 / 0.7 - 1) / 2), 6);
    expect(low[0]!.probability! + low[1]!.probability!).toBeCloseTo(0.5, 6);
    // Above 0.7 a missed roll gets a second chance of (q - 0.7): at 0.85 the chances sum to 0.575.
    expect(bands[2]!.outputs.reduce((sum, o) => sum + o.probability!, 0)).toBeCloseTo(0.5 + 0.5 * 0.15, 6);
  });

  it('outputPreview_modification_noOutputs', () => {
    expect(outputPreview({ recipeType: 'modification', outputs: null }).map((b) => b.outputs)).toEqual([[], [], []]);
  });
});
