import { describe, expect, it } from 'vitest';
import { planConsumption, unitsToConsume } from '../../../src/domain/discovery/consumption.js';
import {
  combinationKey,
  isEligible,
  jaccard,
  matchAttempt,
  parseHint,
  prerequisiteUnlocks,
  type DiscoveryRecipe,
  type KnownSet,
} from '../../../src/domain/discovery/matching.js';
import { rngFor } from '../../../src/domain/rng.js';

const none: KnownSet = { ids: new Set(), codes: new Set() };
const knowing = (...codes: string[]): KnownSet => ({ ids: new Set(codes.map((c) => `id-${c}`)), codes: new Set(codes) });

function recipe(code: string, extra: Partial<DiscoveryRecipe> = {}): DiscoveryRecipe {
  return { recipeId: `id-${code}`, code, isDeprecated: false, isDiscoverable: true, discoveryHints: [], steps: [{}], ...extra };
}

describe('discovery hints', () => {
  it('parseHint_codesJoinedByPlusInAnyOrder_sortedDistinct', () => {
    expect(parseHint('iron_ingot+fire_salt')).toEqual(['fire_salt', 'iron_ingot']);
    expect(parseHint(' fire_salt + iron_ingot+fire_salt ')).toEqual(['fire_salt', 'iron_ingot']);
    expect(parseHint('+')).toEqual([]);
  });

  it('combinationKey_withStation_appendsIt', () => {
    expect(combinationKey(['b', 'a', 'b'])).toBe('a+b');
    expect(combinationKey(['b', 'a'], 'forge')).toBe('a+b@forge');
  });

  it('jaccard_intersectionOverUnion', () => {
    expect(jaccard(['a', 'b'], ['a', 'b'])).toBe(1);
    expect(jaccard(['a'], ['a', 'b'])).toBe(0.5);
    expect(jaccard(['a', 'c'], ['a', 'b'])).toBeCloseTo(1 / 3);
    expect(jaccard(['c'], ['a', 'b'])).toBe(0);
    expect(jaccard([], [])).toBe(0);
  });
});

describe('matchAttempt', () => {
  const fireSword = recipe('fire_sword', { discoveryHints: ['iron_ingot+fire_salt', 'steel_ingot+fire_salt'], steps: [{ stationType: 'forge' }] });

  it('sortedDistinctCodesEqualAHint_matches', () => {
    expect(matchAttempt([fireSword], ['fire_salt', 'iron_ingot', 'iron_ingot'], none, null).recipe?.code).toBe('fire_sword');
    expect(matchAttempt([fireSword], ['steel_ingot', 'fire_salt'], none, 'forge').recipe?.code).toBe('fire_sword');
  });

  it('subsetOrSuperset_doesNotMatch_andReportsJaccardProgression', () => {
    expect(matchAttempt([fireSword], ['iron_ingot'], none, null)).toEqual({ recipe: null, hintProgression: 0.5 });
    expect(matchAttempt([fireSword], ['iron_ingot', 'fire_salt', 'leather'], none, null)).toEqual({ recipe: null, hintProgression: 0.67 });
    expect(matchAttempt([fireSword], ['leather'], none, null)).toEqual({ recipe: null, hintProgression: null });
  });

  it('severalMatch_firstByCode', () => {
    const other = recipe('a_first', { discoveryHints: ['fire_salt+iron_ingot'] });
    expect(matchAttempt([fireSword, other], ['iron_ingot', 'fire_salt'], none, null).recipe?.code).toBe('a_first');
  });

  it('ineligibleRecipes_neitherMatchNorCountForProgression', () => {
    const hints = { discoveryHints: ['a+b'] };
    const cases: [DiscoveryRecipe, KnownSet, string | null][] = [
      [recipe('x', { ...hints, isDiscoverable: false }), none, null],
      [recipe('x', { ...hints, isDeprecated: true }), none, null],
      [recipe('x', { ...hints, isDefaultKnown: true }), none, null],
      [recipe('x', hints), knowing('x'), null],
      [recipe('x', { ...hints, prerequisiteRecipeCodes: ['basics'] }), none, null],
      [recipe('x', { ...hints, steps: [{ stationType: 'forge' }, { stationType: null }] }), none, 'alchemy_table'],
    ];
    for (const [r, known, station] of cases) {
      expect(isEligible(r, known, station)).toBe(false);
      expect(matchAttempt([r], ['a', 'b'], known, station)).toEqual({ recipe: null, hintProgression: null });
      expect(matchAttempt([r], ['a'], known, station).hintProgression).toBeNull();
    }
  });

  it('stationRules_recipeWithoutStationOrAttemptWithoutStation_stayEligible', () => {
    expect(isEligible(recipe('x', { steps: [{}] }), none, 'forge')).toBe(true);
    expect(isEligible(recipe('x', { steps: [{ stationType: 'forge' }] }), none, null)).toBe(true);
    expect(isEligible(recipe('x', { steps: [{ stationType: 'anvil' }, { stationType: 'forge' }] }), none, 'forge')).toBe(true);
  });

  it('prerequisitesKnown_makesRecipeEligible', () => {
    const r = recipe('x', { discoveryHints: ['a+b'], prerequisiteRecipeCodes: ['basics', 'more'] });
    expect(isEligible(r, knowing('basics'), null)).toBe(false);
    expect(isEligible(r, knowing('basics', 'more'), null)).toBe(true);
  });
});

describe('prerequisiteUnlocks', () => {
  it('unlocksNonDiscoverableRecipesWhosePrerequisitesAreAllKnown_transitively', () => {
    const b = recipe('b', { isDiscoverable: false, prerequisiteRecipeCodes: ['a'] });
    const c = recipe('c', { isDiscoverable: false, prerequisiteRecipeCodes: ['b', 'a'] });
    const d = recipe('d', { isDiscoverable: false, prerequisiteRecipeCodes: ['c', 'z'] });
    expect(prerequisiteUnlocks([d, c, b], knowing('a')).map((r) => r.code)).toEqual(['b', 'c']);
    expect(prerequisiteUnlocks([d, c, b], knowing('a', 'z')).map((r) => r.code)).toEqual(['b', 'c', 'd']);
  });

  it('skipsDiscoverableDeprecatedKnownAndPrerequisiteFreeRecipes', () => {
    const recipes = [
      recipe('disc', { isDiscoverable: true, prerequisiteRecipeCodes: ['a'] }),
      recipe('old', { isDiscoverable: false, isDeprecated: true, prerequisiteRecipeCodes: ['a'] }),
      recipe('deflt', { isDiscoverable: false, isDefaultKnown: true, prerequisiteRecipeCodes: ['a'] }),
      recipe('known', { isDiscoverable: false, prerequisiteRecipeCodes: ['a'] }),
      recipe('free', { isDiscoverable: false, prerequisiteRecipeCodes: [] }),
    ];
    expect(prerequisiteUnlocks(recipes, knowing('a', 'known'))).toEqual([]);
  });
});

describe('consumption plan', () => {
  it('unitsToConsume_roundHalfUpOfTotalTimesRate_cappedAtTotal', () => {
    expect(unitsToConsume(3, 0.5)).toBe(2);
    expect(unitsToConsume(4, 0.5)).toBe(2);
    expect(unitsToConsume(1, 0.5)).toBe(1);
    expect(unitsToConsume(1, 0.4)).toBe(0);
    expect(unitsToConsume(10, 0.35)).toBe(4);
    expect(unitsToConsume(5, 1)).toBe(5);
    expect(unitsToConsume(2.5, 1)).toBe(2.5);
    expect(unitsToConsume(5, 0)).toBe(0);
  });

  const offered = [
    { instanceId: 'c', itemTemplateCode: 'salt', quantity: 1 },
    { instanceId: 'a', itemTemplateCode: 'ingot', quantity: 4 },
    { instanceId: 'b', itemTemplateCode: 'strip', quantity: 2 },
  ];

  it('planConsumption_takesExactlyTheUnitsFromTheOfferedInstances', () => {
    for (const seed of ['1', '2', '3', 'x', 'attempt-id']) {
      const plan = planConsumption(offered, 0.5, rngFor(seed, 'discovery:consumption'));
      expect(plan.reduce((s, p) => s + p.quantity, 0)).toBe(4); // round(7 x 0.5) = 4
      for (const p of plan) {
        const source = offered.find((o) => o.instanceId === p.instanceId)!;
        expect(p.quantity).toBeGreaterThan(0);
        expect(p.quantity).toBeLessThanOrEqual(source.quantity);
        expect(p.itemTemplateCode).toBe(source.itemTemplateCode);
      }
      expect(new Set(plan.map((p) => p.instanceId)).size).toBe(plan.length);
    }
  });

  it('planConsumption_sameSeed_samePlan_whateverTheInputOrder', () => {
    const one = planConsumption(offered, 0.5, rngFor('seed', 's'));
    const two = planConsumption([...offered].reverse(), 0.5, rngFor('seed', 's'));
    expect(two).toEqual(one);
  });

  it('planConsumption_rateZeroOrNothingToTake_emptyPlan', () => {
    expect(planConsumption(offered, 0, rngFor('s', 's'))).toEqual([]);
    expect(planConsumption([{ instanceId: 'a', itemTemplateCode: 'x', quantity: 1 }], 0.4, rngFor('s', 's'))).toEqual([]);
  });

  it('planConsumption_rateOne_takesEverything', () => {
    const plan = planConsumption(offered, 1, rngFor('s', 's'));
    expect(plan.map((p) => [p.instanceId, p.quantity]).sort()).toEqual([
      ['a', 4],
      ['b', 2],
      ['c', 1],
    ]);
  });
});
