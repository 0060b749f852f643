/**
 * Rules a recipe must satisfy beyond its JSON schema (which the HTTP layer already
 * enforces: types, bounds, lengths). Pure: no I/O, so the same check runs for
 * create, update (on the merged result) and every item of a seed.
 */
import { slotName, type SlotInput, type SlotMatcher } from '../session/slots.js';

export interface RecipeShape {
  code: string;
  recipeType: string;
  steps: readonly { code: string; eligibleRoles?: readonly string[] | null }[];
  inputs?: readonly (Omit<SlotInput, 'quantity'> & { quantity?: number })[] | null;
  outputs?: readonly unknown[] | null;
  extractionOutputs?: readonly unknown[] | null;
  affixOperation?: string | null;
  qualityWeights?: { materialQuality: number; proficiencyLevel: number; toolQuality: number } | null;
  proficiencyRequirements?: readonly { domain: string; minimumLevel: number }[] | null;
  experienceGrants?: readonly { domain: string }[] | null;
  tags?: readonly string[] | null;
  isDiscoverable?: boolean | null;
  discoveryHints?: readonly string[] | null;
  prerequisiteRecipeCodes?: readonly string[] | null;
  masteryLevel?: number | null;
  repair?: { fixes: readonly string[] } | null;
  ruleset?: { code: string; params?: Record<string, unknown> | null; traits?: readonly { min: number }[] | null } | null;
}

export interface RecipeRules {
  maxProficiencyLevel: number;
}

export interface RecipeProblem {
  path: string;
  code: string;
  message: string;
}

const WEIGHT_SUM_TOLERANCE = 1e-6;

/** Recipe types with built-in completion handling and what each one needs. */
const TYPE_REQUIREMENTS: Record<string, (r: RecipeShape) => RecipeProblem | null> = {
  production: (r) =>
    r.outputs && r.outputs.length > 0
      ? null
      : { path: 'outputs', code: 'OUTPUTS_REQUIRED', message: 'production recipes need at least one output' },
  repair: (r) =>
    r.repair && r.repair.fixes.length > 0
      ? null
      : { path: 'repair', code: 'REPAIR_REQUIRED', message: 'repair recipes say which conditions they fix (repair.fixes)' },
  modification: (r) =>
    r.affixOperation
      ? null
      : {
          path: 'affixOperation',
          code: 'AFFIX_OPERATION_REQUIRED',
          message: 'modification recipes need an affixOperation',
        },
  extraction: (r) =>
    r.extractionOutputs && r.extractionOutputs.length > 0
      ? null
      : {
          path: 'extractionOutputs',
          code: 'EXTRACTION_OUTPUTS_REQUIRED',
          message: 'extraction recipes need at least one extraction output',
        },
};

function duplicates(values: readonly string[]): string[] {
  const seen = new Set<string>();
  const dup = new Set<string>();
  for (const v of values) (seen.has(v) ? dup : seen).add(v);
  return [...dup];
}

export function validateRecipe(recipe: RecipeShape, rules: RecipeRules): RecipeProblem[] {
  const problems: RecipeProblem[] = [];
  const add = (path: string, code: string, message: string) => problems.push({ path, code, message });

  if (recipe.steps.length === 0) add('steps', 'STEPS_REQUIRED', 'a recipe needs at least one step');
  if (recipe.ruleset) {
    if (recipe.recipeType !== 'production' && recipe.recipeType !== 'modification') {
      add('ruleset', 'RULESET_RECIPE_TYPE', 'production and modification recipes play by a ruleset (an extraction rolls its outputs itself)');
    }
    for (const name of Object.keys(recipe.ruleset.params ?? {})) {
      if (!/^[A-Za-z][A-Za-z0-9_]{0,63}$/.test(name)) add(`ruleset.params.${name}`, 'NAME_INVALID', 'a parameter name is 1-64 letters, digits or _, starting with a letter');
    }
    const mins = (recipe.ruleset.traits ?? []).map((t) => t.min);
    if (mins.some((m, i) => i > 0 && m < mins[i - 1]!)) add('ruleset.traits', 'TRAITS_ORDER', 'trait breakpoints go by increasing min');
  }
  const stepCodes = recipe.steps.map((s) => s.code);
  for (const code of duplicates(stepCodes)) {
    add('steps', 'STEP_CODE_DUPLICATE', `step code "${code}" appears more than once`);
  }
  const stepSet = new Set(stepCodes);
  const hasMatcher = (m: SlotMatcher) => !!(m.itemTemplateCode || m.category || m.tagsAll?.length || m.tagsAny?.length);
  for (const name of duplicates((recipe.inputs ?? []).map((input, i) => slotName(input, i)))) {
    add('inputs', 'SLOT_DUPLICATE', `slot "${name}" appears more than once`);
  }
  recipe.inputs?.forEach((input, i) => {
    if (!hasMatcher(input)) add(`inputs[${i}]`, 'INPUT_INVALID', 'an input takes an itemTemplateCode, a category, tagsAll or tagsAny');
    input.alternatives?.forEach((alt, j) => {
      if (!hasMatcher(alt)) add(`inputs[${i}].alternatives[${j}]`, 'INPUT_INVALID', 'an alternative takes an itemTemplateCode, a category, tagsAll or tagsAny');
    });
    if (input.tierMinimum != null && input.tierMaximum != null && input.tierMinimum > input.tierMaximum) {
      add(`inputs[${i}].tierMaximum`, 'INPUT_INVALID', 'tierMaximum is below tierMinimum');
    }
    if (input.optional && input.consumeOnStep != null) {
      add(`inputs[${i}].consumeOnStep`, 'INPUT_INVALID', 'an optional slot is consumed at completion');
    }
    if (input.consumeOnStep != null && !stepSet.has(input.consumeOnStep)) {
      add(
        `inputs[${i}].consumeOnStep`,
        'UNKNOWN_STEP',
        `consumeOnStep "${input.consumeOnStep}" is not a step of this recipe`,
      );
    }
  });

  const w = recipe.qualityWeights;
  if (w) {
    const sum = w.materialQuality + w.proficiencyLevel + w.toolQuality;
    if (Math.abs(sum - 1) > WEIGHT_SUM_TOLERANCE) {
      add('qualityWeights', 'WEIGHTS_SUM', `quality weights must sum to 1.0 (got ${round(sum)})`);
    }
  }

  const typeRule = TYPE_REQUIREMENTS[recipe.recipeType];
  const typeProblem = typeRule?.(recipe);
  if (typeProblem) problems.push(typeProblem);

  const reqs = recipe.proficiencyRequirements ?? [];
  for (const d of duplicates(reqs.map((r) => r.domain))) {
    add('proficiencyRequirements', 'DOMAIN_DUPLICATE', `proficiency domain "${d}" is listed more than once`);
  }
  reqs.forEach((r, i) => {
    if (r.minimumLevel > rules.maxProficiencyLevel) {
      add(
        `proficiencyRequirements[${i}].minimumLevel`,
        'LEVEL_ABOVE_MAX',
        `minimumLevel ${r.minimumLevel} is above the maximum proficiency level ${rules.maxProficiencyLevel}`,
      );
    }
  });
  const highest = Math.max(0, ...reqs.map((r) => r.minimumLevel));
  if (recipe.masteryLevel != null && recipe.masteryLevel < highest) {
    add(
      'masteryLevel',
      'MASTERY_BELOW_REQUIREMENT',
      `masteryLevel ${recipe.masteryLevel} is below the highest minimumLevel ${highest}`,
    );
  }

  for (const d of duplicates((recipe.experienceGrants ?? []).map((g) => g.domain))) {
    add('experienceGrants', 'DOMAIN_DUPLICATE', `experience domain "${d}" is listed more than once`);
  }
  for (const t of duplicates(recipe.tags ?? [])) {
    add('tags', 'TAG_DUPLICATE', `tag "${t}" is listed more than once`);
  }
  if (recipe.isDiscoverable && !(recipe.discoveryHints && recipe.discoveryHints.length > 0)) {
    add('discoveryHints', 'HINTS_REQUIRED', 'discoverable recipes need at least one discovery hint');
  }
  if (recipe.prerequisiteRecipeCodes?.includes(recipe.code)) {
    add('prerequisiteRecipeCodes', 'SELF_PREREQUISITE', 'a recipe cannot be its own prerequisite');
  }
  return problems;
}

function round(n: number) {
  return Math.round(n * 1e6) / 1e6;
}
