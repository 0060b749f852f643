import { describe, expect, it } from 'vitest';
import { compileRuleset } from '../../../src/domain/rules/compile.js';
import { inheritedTraits, materialsContext, outputRarity, provenance, tagTraits, type MaterialLot } from '../../../src/domain/rules/materials.js';
import { validateRecipe } from '../../../src/domain/recipe/validate-recipe.js';
import { allocateMaterials } from '../../../src/domain/session/allocate-materials.js';
import { describeSlot, fitsSlot } from '../../../src/domain/session/slots.js';

const iron = { itemTemplateCode: 'iron', category: 'metal', tags: ['metal', 'ore_based'], tier: 1 };
const steel = { itemTemplateCode: 'steel', category: 'metal', tags: ['metal'], tier: 2 };
const oak = { itemTemplateCode: 'oak', category: 'wood', tags: ['wood'], tier: 1 };

describe('slots', () => {
  it('aSlot_takesAnExactTemplate_aCategory_tags_orAnAlternative_withinItsTiers', () => {
    expect(fitsSlot({ itemTemplateCode: 'iron', quantity: 1 }, iron)).toBe(true);
    expect(fitsSlot({ itemTemplateCode: 'iron', quantity: 1 }, steel)).toBe(false);
    expect(fitsSlot({ category: 'metal', quantity: 1 }, steel)).toBe(true);
    expect(fitsSlot({ tagsAll: ['metal', 'ore_based'], quantity: 1 }, steel)).toBe(false);
    expect(fitsSlot({ tagsAny: ['wood', 'ore_based'], quantity: 1 }, oak)).toBe(true);
    expect(fitsSlot({ category: 'metal', tierMaximum: 1, quantity: 1 }, steel)).toBe(false);
    // An alternative keeps the slot's tier bounds.
    const slot = { itemTemplateCode: 'iron', alternatives: [{ category: 'metal' }], tierMaximum: 1, quantity: 1 };
    expect([fitsSlot(slot, iron), fitsSlot(slot, steel), fitsSlot(slot, oak)]).toEqual([true, false, false]);
    expect(describeSlot(slot)).toBe('iron or category metal (tier 0..1)');
  });

  it('allocation_fillsRequiredSlotsFirst_andAnOptionalSlotOnlyFromWhatIsNamedForIt', () => {
    const candidates = [
      { instanceId: 'a', quantity: 4, quality: 0.9, ...iron },
      { instanceId: 'b', quantity: 2, quality: 0.5, ...oak },
    ];
    const needs = [
      { slot: 'extra', tagsAll: ['metal'], quantity: 2, optional: true },
      { slot: 'metal', tagsAll: ['metal'], quantity: 3 },
      { slot: 'wood', category: 'wood', quantity: 1 },
    ];
    // Not named: the optional slot stays empty, however much metal there is.
    const plain = allocateMaterials(needs, candidates);
    expect(plain.ok && plain.picks.map((p) => [p.inputIndex, p.instanceId, p.quantity])).toEqual([
      [1, 'a', 3],
      [2, 'b', 1],
    ]);
    // Named: it takes what is left of the named stack after the required slots (1 of 2).
    const named = allocateMaterials(needs, candidates, new Map([[0, new Set(['a'])]]));
    expect(named.ok && named.picks.map((p) => [p.inputIndex, p.instanceId, p.quantity])).toEqual([
      [0, 'a', 1],
      [1, 'a', 3],
      [2, 'b', 1],
    ]);
    // A required slot short of material is reported by its slot and what it takes.
    const short = allocateMaterials([{ slot: 'metal', tagsAll: ['metal'], tierMinimum: 2, quantity: 1 }], candidates);
    expect(short).toEqual({ ok: false, shortfalls: [{ itemTemplateCode: 'tags metal (tier 2..∞)', slot: 'metal', required: 1, available: 0, qualityMinimum: null }] });
  });

  it('recipeValidation_refusesInputsThatTakeNothing_duplicateSlots_andReversedTiers', () => {
    const problems = validateRecipe(
      {
        code: 'r',
        recipeType: 'production',
        steps: [{ code: 's' }],
        outputs: [{}],
        inputs: [
          { slot: 'a', quantity: 1 },
          { slot: 'a', category: 'metal', quantity: 1, tierMinimum: 3, tierMaximum: 1, alternatives: [{}] },
        ],
      },
      { maxProficiencyLevel: 100 },
    ).map((p) => `${p.path} ${p.code}`);
    expect(problems).toEqual(['inputs SLOT_DUPLICATE', 'inputs[0] INPUT_INVALID', 'inputs[1].alternatives[0] INPUT_INVALID', 'inputs[1].tierMaximum INPUT_INVALID']);
  });
});

const lot = (o: Partial<MaterialLot>): MaterialLot => ({ slot: 'metal', itemTemplateCode: 'iron', quantity: 1, quality: null, tier: 1, tags: [], rarity: null, traits: [], stats: {}, ...o });
const SCALE = ['common', 'uncommon', 'rare', 'epic', 'legendary'];

describe('materials as a ruleset reads them', () => {
  it('context_countsTagsAndTraitsByUnits_meansAndSumsStats_perSlotAndInAll', () => {
    const ctx = materialsContext(
      [
        lot({ quantity: 2, tags: ['metal', 'fire'], stats: { attack: 10 }, rarity: 'rare', traits: ['keen'], quality: 0.9 }),
        lot({ quantity: 1, tags: ['metal'], stats: { attack: 4, weight: 3 }, rarity: 'common', quality: 0.6 }),
        lot({ slot: 'wood', itemTemplateCode: 'oak', quantity: 1, tags: ['wood'], tier: 2, stats: { durability: 5 } }),
      ],
      SCALE,
    );
    expect(ctx).toMatchObject({
      count: 4,
      tier: 2,
      // (0.9 x 2 + 0.6 + 0.5) / 4
      quality: 0.725,
      tags: { metal: 3, fire: 2, wood: 1 },
      traits: { keen: 2 },
      // attack (20 + 4) / 4 units; weight 3 / 4; durability 5 / 4
      stats: { attack: 6, weight: 0.75, durability: 1.25 },
      totals: { attack: 24, weight: 3, durability: 5 },
      rarity: 2,
      rarityMean: 1,
    });
    expect(ctx.slots.metal).toMatchObject({ count: 3, stats: { attack: 8, weight: 1 }, rarity: 2 });
    expect(ctx.slots.wood).toMatchObject({ count: 1, tier: 2, stats: { durability: 5 } });
  });

  it('rarity_gradientPullsTowardTheRarest_cappedNeverExceedsIt', () => {
    const m = { rarity: 4, rarityMean: 1 };
    expect(outputRarity({ scale: SCALE }, m, null)).toBe(3); // round(1 + 3 x 0.5) = round(2.5) = 3
    expect(outputRarity({ scale: SCALE, pull: 0 }, m, null)).toBe(1);
    expect(outputRarity({ scale: SCALE, mode: 'capped' }, { rarity: 2, rarityMean: 1 }, 4.4)).toBe(2);
    expect(outputRarity({ scale: SCALE, mode: 'capped' }, { rarity: 4, rarityMean: 1 }, 0.4)).toBe(0);
  });

  it('tagTraits_giveTheHighestLevelReached_inheritTakesTheMostUnitsFirst', () => {
    const levels = [{ tag: 'fire', levels: [{ min: 1, trait: 'minor' }, { min: 3, trait: 'moderate' }, { min: 5, trait: 'major' }] }];
    expect([0, 1, 4, 5].map((n) => tagTraits(levels, { tags: { fire: n } }))).toEqual([[], ['minor'], ['moderate'], ['major']]);
    const ctx = materialsContext([lot({ traits: ['a'], quantity: 1 }), lot({ traits: ['b', 'a'], quantity: 2 }), lot({ slot: 'wood', traits: ['c'], quantity: 9 })]);
    expect(inheritedTraits({ max: 2 }, ctx)).toEqual(['c', 'a']);
    expect(inheritedTraits({ max: 2, slots: ['metal'] }, ctx)).toEqual(['a', 'b']);
  });

  it('provenance_namesRarityTemplateTierAndQuantity', () => {
    expect(provenance([lot({ rarity: 'legendary', itemTemplateCode: 'steel', tier: 2, quantity: 3 }), lot({ itemTemplateCode: 'oak', tier: null })]).text).toBe(
      'Legendary steel (T2) x3, oak x1',
    );
  });

  it('aBadMaterialsSection_isRefusedWithThePathOfEachProblem', () => {
    const { problems } = compileRuleset({
      code: 'x',
      pools: [{ name: 'p', start: 0 }],
      actions: [{ code: 'a', onSuccess: [{ op: 'finish' }] }],
      end: {},
      outcome: { mode: 'allOrNothing', score: 1 },
      materials: {
        rarity: { scale: ['common', 'common'], mode: 'capped', pull: 2, value: { nope: [] } },
        tagTraits: [{ tag: 'fire', levels: [{ min: 3, trait: 'a' }, { min: 1, trait: 'b' }] }],
      } as never,
    });
    expect(problems.map((p) => `${p.path} ${p.code}`)).toEqual([
      '/materials/rarity/scale RARITY_INVALID',
      '/materials/rarity/pull RARITY_INVALID',
      '/materials/tagTraits/0/levels LEVELS_ORDER',
      '/materials/rarity/value/nope OPERATOR_NOT_ALLOWED',
    ]);
  });
});
