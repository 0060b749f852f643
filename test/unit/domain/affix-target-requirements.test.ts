import { describe, expect, it } from 'vitest';
import { operationProblems, openSlotTypes } from '../../../src/domain/affix/operation-check.js';
import { checkTargetRequirements, type TargetItemFacts } from '../../../src/domain/affix/target-requirements.js';

const sword: TargetItemFacts = {
  itemClass: 'one_hand_sword',
  itemLevel: 40,
  isIdentified: true,
  isCorrupted: false,
  isMirrored: false,
  isFractured: false,
  freeSlots: { prefix: 2, suffix: 1 },
};

describe('checkTargetRequirements', () => {
  it('noRequirements_noProblems', () => {
    expect(checkTargetRequirements({}, sword)).toEqual([]);
    expect(
      checkTargetRequirements({ validItemClasses: null, minimumItemLevel: null, requiredItemStates: null, requiredAffixSlotType: null }, sword),
    ).toEqual([]);
    expect(checkTargetRequirements({ validItemClasses: [] }, sword)).toEqual([]);
  });

  it('itemClass_notListed_isAProblem', () => {
    expect(checkTargetRequirements({ validItemClasses: ['one_hand_sword', 'axe'] }, sword)).toEqual([]);
    expect(checkTargetRequirements({ validItemClasses: ['axe', 'mace'] }, sword)).toEqual([
      { field: 'validItemClasses', message: 'item class "one_hand_sword" is not one of "axe", "mace"' },
    ]);
  });

  it('itemLevel_belowMinimum_isAProblem_equalIsFine', () => {
    expect(checkTargetRequirements({ minimumItemLevel: 40 }, sword)).toEqual([]);
    expect(checkTargetRequirements({ minimumItemLevel: 74 }, sword)).toEqual([
      { field: 'minimumItemLevel', message: 'item level 40 is below the required 74' },
    ]);
  });

  it('requiredStates_chaosReforge_refusesCorruptedOrMirrored', () => {
    const req = {
      requiredItemStates: [
        { field: 'IsCorrupted' as const, expected: false },
        { field: 'IsMirrored' as const, expected: false },
      ],
    };
    expect(checkTargetRequirements(req, sword)).toEqual([]);
    expect(checkTargetRequirements(req, { ...sword, isCorrupted: true, isMirrored: true })).toEqual([
      { field: 'requiredItemStates.IsCorrupted', message: 'the item must be not corrupted, but it is corrupted' },
      { field: 'requiredItemStates.IsMirrored', message: 'the item must be not mirrored, but it is mirrored' },
    ]);
  });

  it('requiredStates_expectedTrue_checksEachFlag', () => {
    const all = (['IsIdentified', 'IsCorrupted', 'IsMirrored', 'IsFractured'] as const).map((field) => ({ field, expected: true }));
    const problems = checkTargetRequirements({ requiredItemStates: all }, { ...sword, isIdentified: false });
    expect(problems.map((p) => p.field)).toEqual([
      'requiredItemStates.IsIdentified',
      'requiredItemStates.IsCorrupted',
      'requiredItemStates.IsMirrored',
      'requiredItemStates.IsFractured',
    ]);
    expect(problems[0]!.message).toBe('the item must be identified, but it is unidentified');
    expect(
      checkTargetRequirements({ requiredItemStates: all }, { ...sword, isCorrupted: true, isMirrored: true, isFractured: true }),
    ).toEqual([]);
  });

  it('requiredSlot_full_isAProblem_unlimitedSlotTypeIsFine', () => {
    expect(checkTargetRequirements({ requiredAffixSlotType: 'suffix' }, sword)).toEqual([]);
    expect(checkTargetRequirements({ requiredAffixSlotType: 'suffix' }, { ...sword, freeSlots: { prefix: 2, suffix: 0 } })).toEqual([
      { field: 'requiredAffixSlotType', message: 'the item has no free suffix slot' },
    ]);
    expect(checkTargetRequirements({ requiredAffixSlotType: 'enchant' }, sword)).toEqual([]);
  });

  it('inscribeFireLogos_everyProblemIsReported_inRequirementOrder', () => {
    const req = {
      validItemClasses: ['staff'],
      minimumItemLevel: 50,
      requiredItemStates: [
        { field: 'IsCorrupted' as const, expected: false },
        { field: 'IsIdentified' as const, expected: true },
      ],
      requiredAffixSlotType: 'suffix',
    };
    const item = { ...sword, isIdentified: false, isCorrupted: true, freeSlots: { prefix: 0, suffix: 0 } };
    expect(checkTargetRequirements(req, item).map((p) => p.field)).toEqual([
      'validItemClasses',
      'minimumItemLevel',
      'requiredItemStates.IsCorrupted',
      'requiredItemStates.IsIdentified',
      'requiredAffixSlotType',
    ]);
  });
});

describe('operationProblems', () => {
  const clean = { isCorrupted: false, isMirrored: false, isFractured: false, affixes: [{ isFractured: false }], freeSlots: { prefix: 1, suffix: 1 } };

  it('everyOperation_onAModifiableItem_hasNoProblem', () => {
    for (const op of ['apply_random', 'remove_random', 'reroll_all', 'reroll_values', 'corrupt', 'fracture']) {
      expect(operationProblems(op, {}, clean), op).toEqual([]);
    }
    expect(operationProblems('apply_specific', { guaranteedAffixCode: 'fire_res_t1' }, clean)).toEqual([]);
  });

  it('recipeFaults_areKindRecipe', () => {
    expect(operationProblems('transmute', {}, clean)).toEqual([{ kind: 'recipe', message: 'unknown affix operation "transmute"' }]);
    expect(operationProblems('apply_specific', {}, clean)).toEqual([{ kind: 'recipe', message: 'apply_specific needs guaranteedAffixCode' }]);
  });

  it('corruptedOrMirrored_refusesEveryOperation', () => {
    for (const op of ['apply_random', 'remove_random', 'reroll_all', 'reroll_values', 'corrupt', 'fracture']) {
      expect(operationProblems(op, {}, { ...clean, isCorrupted: true })[0]!.kind).toBe('item');
      expect(operationProblems(op, {}, { ...clean, isMirrored: true })[0]!.message).toBe('a mirrored item cannot be modified');
    }
  });

  it('applyRandom_needsAFreeSlot', () => {
    const full = { ...clean, freeSlots: { prefix: 0, suffix: 0 } };
    expect(operationProblems('apply_random', {}, full)[0]!.message).toBe('the item has no free affix slot');
    expect(operationProblems('apply_random', { slotType: 'suffix' }, { ...clean, freeSlots: { prefix: 1, suffix: 0 } })[0]!.message).toBe(
      'the item has no free suffix slot',
    );
    expect(operationProblems('apply_random', { slotType: 'enchant' }, full)).toEqual([]);
    expect(openSlotTypes({ freeSlots: { suffix: 2, prefix: 1 } })).toEqual(['prefix', 'suffix']);
    expect(openSlotTypes({ freeSlots: { suffix: 0, prefix: 1 } })).toEqual(['prefix']);
  });

  it('removeRerollFracture_needAnAffixThatIsNotFractured', () => {
    const onlyFractured = { ...clean, isFractured: false, affixes: [{ isFractured: true }] };
    for (const op of ['remove_random', 'reroll_values', 'fracture']) {
      expect(operationProblems(op, {}, onlyFractured).length, op).toBe(1);
      expect(operationProblems(op, {}, { ...clean, affixes: [] }).length, op).toBe(1);
    }
    expect(operationProblems('fracture', {}, { ...clean, isFractured: true })[0]!.message).toBe('the item is already fractured');
    expect(operationProblems('reroll_all', {}, { ...clean, affixes: [] })).toEqual([]);
  });
});
