import { describe, expect, it } from 'vitest';
import { newSeed, rngFor } from '../../../src/domain/rng.js';

const take = (rng: () => number, n: number) => Array.from({ length: n }, () => rng());

describe('rng', () => {
  it('rngFor_sameSeedAndStream_sameSequence', () => {
    expect(take(rngFor('12345', 'step:2'), 50)).toEqual(take(rngFor('12345', 'step:2'), 50));
  });

  it('rngFor_differentStreamOrSeed_differentSequence', () => {
    const base = take(rngFor('12345', 'step:2'), 10);
    expect(take(rngFor('12345', 'step:3'), 10)).not.toEqual(base);
    expect(take(rngFor('12346', 'step:2'), 10)).not.toEqual(base);
    expect(take(rngFor('12345', 'extraction'), 10)).not.toEqual(base);
  });

  it('rngFor_knownSeed_isStableAcrossReleases', () => {
    // A stored session must replay identically after an upgrade: pin the first rolls.
    const first = take(rngFor('42', 'step:0'), 3);
    expect(first).toEqual(take(rngFor('42', 'step:0'), 3));
    expect(first.map((x) => x.toFixed(12))).toEqual(['0.338728379225', '0.581906150328', '0.022318271920']);
  });

  it('rngFor_manyRolls_stayInUnitIntervalAndLookUniform', () => {
    const rolls = take(rngFor(newSeed(), 'uniformity'), 20_000);
    expect(rolls.every((x) => x >= 0 && x < 1)).toBe(true);
    const mean = rolls.reduce((s, x) => s + x, 0) / rolls.length;
    expect(mean).toBeGreaterThan(0.48);
    expect(mean).toBeLessThan(0.52);
    const buckets = new Array(10).fill(0);
    for (const x of rolls) buckets[Math.floor(x * 10)]++;
    for (const b of buckets) expect(b).toBeGreaterThan(1700);
  });

  it('newSeed_returnsDistinct53BitDecimalStrings', () => {
    const seeds = Array.from({ length: 1000 }, () => newSeed());
    expect(new Set(seeds).size).toBe(1000);
    for (const s of seeds) {
      expect(s).toMatch(/^\d{1,16}$/);
      expect(Number.isSafeInteger(Number(s))).toBe(true);
    }
  });
});
