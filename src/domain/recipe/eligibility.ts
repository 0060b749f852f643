/**
 * Who may craft a recipe now: the rules a session start enforces (SessionPlanner, one error
 * per failure, in the order a player would fix them) and the queries report (CraftAssessor:
 * every reason at once, for can-craft, NPC variables and discovery). Pure: both load the
 * facts their own way, then apply these same functions, so they cannot disagree.
 */
import { instanceQuality } from '../quality/quality.js';

export interface EligibilityRecipe {
  recipeId: string;
  isDefaultKnown?: boolean | null;
  proficiencyRequirements?: readonly { domain: string; minimumLevel: number }[] | null;
  currencyCosts?: readonly { currencyCode: string; amount: number }[] | null;
  steps: readonly { stationType?: string | null; toolCategory?: string | null }[];
  stationTierMinimum?: number | null;
  inputs?: readonly { quantity: number; stationSlot?: string | null }[] | null;
}

export interface StationFacts {
  tier?: number | null;
  capacity?: Readonly<Record<string, number>> | null;
}

export interface ToolCandidate {
  instanceId: string;
  templateId: string;
  instanceMetadata?: Record<string, unknown> | null;
}

/** Known when every entity knows it by default, or this one learned it. */
export function recipeKnown(recipe: EligibilityRecipe, learned: (recipeId: string) => boolean): boolean {
  return !!recipe.isDefaultKnown || learned(recipe.recipeId);
}

/** Proficiency requirements the levels do not meet (absent level = 0). */
export function unmetProficiency(recipe: EligibilityRecipe, levels: ReadonlyMap<string, number>): { domain: string; required: number; current: number }[] {
  return (recipe.proficiencyRequirements ?? [])
    .filter((r) => (levels.get(r.domain) ?? 0) < r.minimumLevel)
    .map((r) => ({ domain: r.domain, required: r.minimumLevel, current: levels.get(r.domain) ?? 0 }));
}

/** Currency costs the available balances do not cover (no wallet = nothing available). */
export function currencyShortfalls(
  recipe: EligibilityRecipe,
  balances: readonly { currencyCode: string; available: number }[],
): { currencyCode: string; required: number; available: number }[] {
  return (recipe.currencyCosts ?? [])
    .map((c) => ({ currencyCode: c.currencyCode, required: c.amount, available: balances.find((b) => b.currencyCode === c.currencyCode)?.available ?? 0 }))
    .filter((c) => c.available < c.required);
}

/** Station types a recipe's steps need. */
export function stationTypesOf(recipe: Pick<EligibilityRecipe, 'steps'>): string[] {
  return [...new Set(recipe.steps.map((s) => s.stationType).filter((t): t is string => !!t))];
}

/** Tool categories a recipe's steps need. */
export function toolCategoriesOf(recipe: Pick<EligibilityRecipe, 'steps'>): string[] {
  return [...new Set(recipe.steps.map((s) => s.toolCategory).filter((c): c is string => !!c))];
}

const qualityOf = (i: ToolCandidate): number | null => instanceQuality(i.instanceMetadata);

/**
 * The tool a start takes for each category: the named one when it fits, else the best held
 * (highest quality, unknown = 0.5, first held on ties), or null when none is held.
 */
export function chooseToolsIn<T extends ToolCandidate>(
  categories: readonly string[],
  candidates: readonly T[],
  categoryOf: ReadonlyMap<string, string>,
  toolItemId: string | null,
): { category: string; instance: T | null; quality: number | null }[] {
  return categories.map((category) => {
    const fits = candidates.filter((i) => categoryOf.get(i.templateId) === category);
    const named = fits.find((i) => i.instanceId === toolItemId);
    const best = named ?? [...fits].sort((a, b) => (qualityOf(b) ?? 0.5) - (qualityOf(a) ?? 0.5))[0] ?? null;
    return { category, instance: best, quality: best ? qualityOf(best) : null };
  });
}

/** Units of material the recipe puts in each kind of station slot (`stationSlot`, default `slots`). */
export function stationLoad(recipe: Pick<EligibilityRecipe, 'inputs'>): Record<string, number> {
  const load: Record<string, number> = {};
  for (const i of recipe.inputs ?? []) {
    const kind = i.stationSlot ?? 'slots';
    load[kind] = Math.round(((load[kind] ?? 0) + i.quantity) * 1e4) / 1e4;
  }
  return load;
}

/**
 * Why a station cannot host the recipe (null: it can): its tier is below the recipe's
 * `stationTierMinimum`, or the recipe's inputs overflow one kind of its slots (a station
 * without a capacity holds anything; a kind it does not list holds nothing).
 */
export function stationMisfit(
  recipe: Pick<EligibilityRecipe, 'inputs' | 'stationTierMinimum'>,
  station: StationFacts,
): { reason: 'tier'; required: number; tier: number } | { reason: 'capacity'; kind: string; required: number; capacity: number } | null {
  const tier = station.tier ?? 0;
  const required = recipe.stationTierMinimum ?? 0;
  if (tier < required) return { reason: 'tier', required, tier };
  if (!station.capacity) return null;
  for (const [kind, units] of Object.entries(stationLoad(recipe))) {
    const capacity = station.capacity[kind] ?? 0;
    if (units > capacity) return { reason: 'capacity', kind, required: units, capacity };
  }
  return null;
}
