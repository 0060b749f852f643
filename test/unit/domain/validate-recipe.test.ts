import { describe, expect, it } from 'vitest';
import { validateRecipe, type RecipeShape } from '../../../src/domain/recipe/validate-recipe.js';

const rules = { maxProficiencyLevel: 100 };

function sword(overrides: Partial<RecipeShape> = {}): RecipeShape {
  return {
    code: 'forge_iron_sword',
    recipeType: 'production',
    steps: [{ code: 'heat_metal' }, { code: 'hammer_blade' }, { code: 'quench' }, { code: 'attach_grip' }],
    inputs: [
      { itemTemplateCode: 'iron_ingot', consumeOnStep: null },
      { itemTemplateCode: 'leather_strip', consumeOnStep: 'attach_grip' },
    ],
    outputs: [{ itemTemplateCode: 'iron_sword' }],
    qualityWeights: { materialQuality: 0.3, proficiencyLevel: 0.5, toolQuality: 0.2 },
    proficiencyRequirements: [{ domain: 'blacksmithing', minimumLevel: 3 }],
    ...overrides,
  };
}

const codes = (r: RecipeShape) => validateRecipe(r, rules).map((p) => p.code);

describe('validateRecipe', () => {
  it('validateRecipe_seedForgeIronSword_hasNoProblems', () => {
    expect(validateRecipe(sword(), rules)).toEqual([]);
  });

  it('validateRecipe_noSteps_stepsRequired', () => {
    expect(codes(sword({ steps: [], inputs: [] }))).toEqual(['STEPS_REQUIRED']);
  });

  it('validateRecipe_duplicateStepCodes_reported', () => {
    expect(codes(sword({ steps: [{ code: 'a' }, { code: 'a' }], inputs: [] }))).toEqual(['STEP_CODE_DUPLICATE']);
  });

  it('validateRecipe_consumeOnStepNamesNoStep_reportedWithPath', () => {
    const problems = validateRecipe(sword({ inputs: [{ itemTemplateCode: 'x', consumeOnStep: 'smelt' }] }), rules);
    expect(problems).toEqual([expect.objectContaining({ code: 'UNKNOWN_STEP', path: 'inputs[0].consumeOnStep' })]);
  });

  it('validateRecipe_weightsNotSummingToOne_reported', () => {
    expect(codes(sword({ qualityWeights: { materialQuality: 0.5, proficiencyLevel: 0.5, toolQuality: 0.2 } }))).toEqual([
      'WEIGHTS_SUM',
    ]);
  });

  it('validateRecipe_weightsWithFloatNoise_accepted', () => {
    expect(codes(sword({ qualityWeights: { materialQuality: 0.1, proficiencyLevel: 0.7, toolQuality: 0.2 } }))).toEqual([]);
  });

  it('validateRecipe_eachTypeWithoutItsPayload_reported', () => {
    expect(codes(sword({ outputs: [] }))).toEqual(['OUTPUTS_REQUIRED']);
    expect(codes(sword({ recipeType: 'modification', affixOperation: null }))).toEqual(['AFFIX_OPERATION_REQUIRED']);
    expect(codes(sword({ recipeType: 'extraction', extractionOutputs: [] }))).toEqual(['EXTRACTION_OUTPUTS_REQUIRED']);
  });

  it('validateRecipe_customRecipeType_acceptedWithoutTypeRules', () => {
    expect(codes(sword({ recipeType: 'ritual', outputs: null }))).toEqual([]);
  });

  it('validateRecipe_minimumLevelAboveMax_reported', () => {
    expect(codes(sword({ proficiencyRequirements: [{ domain: 'b', minimumLevel: 101 }] }))).toEqual(['LEVEL_ABOVE_MAX']);
  });

  it('validateRecipe_masteryBelowHighestRequirement_reported', () => {
    expect(codes(sword({ masteryLevel: 2 }))).toEqual(['MASTERY_BELOW_REQUIREMENT']);
    expect(codes(sword({ masteryLevel: 3 }))).toEqual([]);
  });

  it('validateRecipe_duplicateDomainsAndTags_reported', () => {
    expect(
      codes(
        sword({
          proficiencyRequirements: [
            { domain: 'b', minimumLevel: 1 },
            { domain: 'b', minimumLevel: 2 },
          ],
          experienceGrants: [{ domain: 'x' }, { domain: 'x' }],
          tags: ['fire', 'fire'],
        }),
      ),
    ).toEqual(['DOMAIN_DUPLICATE', 'DOMAIN_DUPLICATE', 'TAG_DUPLICATE']);
  });

  it('validateRecipe_discoverableWithoutHints_reported', () => {
    expect(codes(sword({ isDiscoverable: true }))).toEqual(['HINTS_REQUIRED']);
    expect(codes(sword({ isDiscoverable: true, discoveryHints: ['iron_ingot+leather_strip'] }))).toEqual([]);
  });

  it('validateRecipe_selfPrerequisite_reported', () => {
    expect(codes(sword({ prerequisiteRecipeCodes: ['forge_iron_sword'] }))).toEqual(['SELF_PREREQUISITE']);
  });
});
