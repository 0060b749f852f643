import { describe, expect, it } from 'vitest';
import {
  baseQuality,
  defaultMasteryLevel,
  finalQuality,
  materialQuality,
  outputQuality,
  proficiencyFactor,
  qualityBand,
  skillScore,
  stepBonus,
  toolFactor,
} from '../../../src/domain/quality/quality.js';

const seedWeights = { materialQuality: 0.3, proficiencyLevel: 0.5, toolQuality: 0.2 };

describe('quality formula (seed 004)', () => {
  it('finalQuality_seedWorkedExample_is0765', () => {
    const q = finalQuality({ material: 0.65, proficiency: 0.7, tool: 0.8, weights: seedWeights, stepBonuses: [0.04, 0.02] });
    expect(Math.abs(q - 0.765)).toBeLessThan(1e-9);
  });

  it('baseQuality_seedExample_isWeightedSum', () => {
    expect(baseQuality({ material: 0.65, proficiency: 0.7, tool: 0.8 }, seedWeights)).toBeCloseTo(0.705, 12);
  });

  it('finalQuality_beyondOne_clampedToOne', () => {
    const q = finalQuality({ material: 1, proficiency: 1, tool: 1, weights: seedWeights, stepBonuses: [0.1], collaborationBonus: 0.2 });
    expect(q).toBe(1);
  });

  it('finalQuality_belowZero_clampedToZero', () => {
    const q = finalQuality({ material: 0, proficiency: 0, tool: 0, weights: seedWeights, stepBonuses: [-0.1] });
    expect(q).toBe(0);
  });

  it('finalQuality_collaborationBonus_added', () => {
    const q = finalQuality({ material: 0.5, proficiency: 0.5, tool: 0.5, weights: seedWeights, stepBonuses: [], collaborationBonus: 0.05 });
    expect(q).toBeCloseTo(0.55, 12);
  });

  it('finalQuality_stepBonusesOverLimit_totalClampedToTenth', () => {
    const q = finalQuality({ material: 0.5, proficiency: 0.5, tool: 0.5, weights: seedWeights, stepBonuses: [0.1, 0.1, 0.1] });
    expect(q).toBeCloseTo(0.6, 12);
  });

  it('stepBonus_extremeScoresOverAnyCount_totalWithinTenth', () => {
    for (const n of [1, 2, 3, 7]) {
      const best = Array.from({ length: n }, () => stepBonus(1, n)).reduce((s, b) => s + b, 0);
      const worst = Array.from({ length: n }, () => stepBonus(0, n)).reduce((s, b) => s + b, 0);
      expect(best).toBeCloseTo(0.1, 12);
      expect(worst).toBeCloseTo(-0.1, 12);
    }
  });

  it('stepBonus_neutralScoreOrNoChecks_isZero', () => {
    expect(stepBonus(0.5, 4)).toBe(0);
    expect(stepBonus(1, 0)).toBe(0);
  });

  it('stepBonus_twoChecks_scaledByCount', () => {
    expect(stepBonus(0.8, 2)).toBeCloseTo(0.03, 12);
  });

  it('skillScore_performanceGiven_usesPerformance', () => {
    expect(skillScore(0.9, 0.1, 0.2)).toBe(0.9);
    expect(skillScore(0, 1, 1)).toBe(0);
  });

  it('skillScore_noPerformance_blendsRollAndProficiency', () => {
    expect(skillScore(null, 0.4, 0.8)).toBeCloseTo(0.6, 12);
    expect(skillScore(undefined, 0, 0)).toBe(0);
    expect(skillScore(undefined, 0.999, 1)).toBeLessThan(1);
  });

  it('materialQuality_quantityWeightedMean', () => {
    expect(materialQuality([
      { quantity: 3, quality: 0.8 },
      { quantity: 1, quality: 0.4 },
    ])).toBeCloseTo(0.7, 12);
  });

  it('materialQuality_unknownQuality_countsHalf', () => {
    expect(materialQuality([
      { quantity: 1, quality: null },
      { quantity: 1, quality: 1 },
    ])).toBeCloseTo(0.75, 12);
  });

  it('materialQuality_noInputs_isHalf', () => {
    expect(materialQuality([])).toBe(0.5);
    expect(materialQuality([{ quantity: 0, quality: 1 }])).toBe(0.5);
  });

  it('defaultMasteryLevel_isMaxOfTenAndTwiceHighestMinimum', () => {
    expect(defaultMasteryLevel([])).toBe(10);
    expect(defaultMasteryLevel([{ minimumLevel: 3 }])).toBe(10);
    expect(defaultMasteryLevel([{ minimumLevel: 5 }])).toBe(10);
    expect(defaultMasteryLevel([{ minimumLevel: 6 }, { minimumLevel: 2 }])).toBe(12);
  });

  it('proficiencyFactor_ratioCappedAtOne', () => {
    expect(proficiencyFactor(0, 10)).toBe(0);
    expect(proficiencyFactor(7, 10)).toBeCloseTo(0.7, 12);
    expect(proficiencyFactor(10, 10)).toBe(1);
    expect(proficiencyFactor(25, 10)).toBe(1);
  });

  it('toolFactor_toolsAndStation_averaged', () => {
    expect(toolFactor([0.6, 0.8], 0.9)).toBeCloseTo(0.8, 12);
  });

  it('toolFactor_onlyOnePresent_usesIt', () => {
    expect(toolFactor([0.6], null)).toBeCloseTo(0.6, 12);
    expect(toolFactor([], 0.9)).toBeCloseTo(0.9, 12);
  });

  it('toolFactor_neither_isHalf', () => {
    expect(toolFactor([], null)).toBe(0.5);
  });

  it('outputQuality_influenceBlendsTowardsAverage', () => {
    expect(outputQuality(0.9, 1)).toBeCloseTo(0.9, 12);
    expect(outputQuality(0.9, 0)).toBe(0.5);
    expect(outputQuality(0.9, 0.5)).toBeCloseTo(0.7, 12);
  });

  it('qualityBand_boundaries', () => {
    expect(qualityBand(0)).toBe('low');
    expect(qualityBand(0.3999)).toBe('low');
    expect(qualityBand(0.4)).toBe('medium');
    expect(qualityBand(0.6999)).toBe('medium');
    expect(qualityBand(0.7)).toBe('high');
    expect(qualityBand(1)).toBe('high');
  });
});
