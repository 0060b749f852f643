import { describe, expect, it } from 'vitest';
import {
  DEFAULT_PHASE_THRESHOLDS,
  experienceForLevel,
  experienceForNextLevel,
  levelFor,
  phaseFor,
} from '../../../src/domain/proficiency/levels.js';

describe('levels', () => {
  it('experienceForLevel_isBaseTimesLevelSquared', () => {
    expect(experienceForLevel(0)).toBe(0);
    expect(experienceForLevel(1)).toBe(10);
    expect(experienceForLevel(3)).toBe(90);
    expect(experienceForLevel(4, 10)).toBe(160);
    expect(experienceForLevel(2, 25)).toBe(100);
  });

  it('levelFor_atAndAroundBoundaries', () => {
    expect(levelFor(0, 10, 100)).toBe(0);
    expect(levelFor(9.99, 10, 100)).toBe(0);
    expect(levelFor(10, 10, 100)).toBe(1);
    expect(levelFor(39.99, 10, 100)).toBe(1);
    expect(levelFor(40, 10, 100)).toBe(2);
    expect(levelFor(89.99, 10, 100)).toBe(2);
    expect(levelFor(90, 10, 100)).toBe(3);
    expect(levelFor(159.99, 10, 100)).toBe(3);
    expect(levelFor(160, 10, 100)).toBe(4);
  });

  it('levelFor_floatAccumulation_reachesExactThreshold', () => {
    let xp = 0;
    for (let i = 0; i < 900; i++) xp += 0.1; // 89.9999999999986...
    expect(levelFor(xp, 10, 100)).toBe(3);
  });

  it('levelFor_exactSquaresAtLargeLevels_neverOffByOne', () => {
    for (let level = 1; level <= 1000; level++) {
      const xp = experienceForLevel(level, 7);
      expect(levelFor(xp, 7, 1000)).toBe(level);
      expect(levelFor(xp - 0.001, 7, 1000)).toBe(level - 1);
    }
  });

  it('levelFor_beyondMax_capped', () => {
    expect(levelFor(1_000_000, 10, 100)).toBe(100);
    expect(levelFor(1000, 10, 5)).toBe(5);
  });

  it('levelFor_negative_isZero', () => {
    expect(levelFor(-5, 10, 100)).toBe(0);
  });

  it('experienceForNextLevel_isThresholdOfNextLevel', () => {
    expect(experienceForNextLevel(0, 10, 100)).toBe(10);
    expect(experienceForNextLevel(90, 10, 100)).toBe(160);
    expect(experienceForNextLevel(159, 10, 100)).toBe(160);
  });

  it('experienceForNextLevel_atMax_isNull', () => {
    expect(experienceForNextLevel(250, 10, 5)).toBeNull();
    expect(experienceForNextLevel(240, 10, 5)).toBe(250);
  });

  it('phaseFor_seedThresholds_atBoundaries', () => {
    const p = (xp: number) => phaseFor(xp, DEFAULT_PHASE_THRESHOLDS);
    expect(p(0)).toBe('novice');
    expect(p(99.99)).toBe('novice');
    expect(p(100)).toBe('apprentice');
    expect(p(499)).toBe('apprentice');
    expect(p(500)).toBe('journeyman');
    expect(p(1499.5)).toBe('journeyman');
    expect(p(1500)).toBe('expert');
    expect(p(3999)).toBe('expert');
    expect(p(4000)).toBe('master');
    expect(p(1e9)).toBe('master');
  });

  it('phaseFor_customThresholds', () => {
    const custom = [
      { name: 'green', threshold: 0 },
      { name: 'seasoned', threshold: 20 },
    ];
    expect(phaseFor(19, custom)).toBe('green');
    expect(phaseFor(20, custom)).toBe('seasoned');
  });
});
