/**
 * Discovery rules (pure): which recipes an attempt may discover, whether an offered
 * combination matches one, how close a failed attempt came, and which recipes a newly
 * learned one unlocks. The rules are documented in src/services/discovery/README.md.
 */

/** The fields of a recipe the discovery rules read. */
export interface DiscoveryRecipe {
  recipeId: string;
  code: string;
  isDiscoverable?: boolean | null;
  isDefaultKnown?: boolean | null;
  isDeprecated: boolean;
  discoveryHints?: readonly string[] | null;
  prerequisiteRecipeCodes?: readonly string[] | null;
  steps: readonly { stationType?: string | null }[];
}

/** What the entity knows (learned rows and default-known recipes), by id and by code. */
export interface KnownSet {
  ids: ReadonlySet<string>;
  codes: ReadonlySet<string>;
}

/** Sorted distinct template codes: the canonical form of a combination. */
export function canonicalCodes(codes: Iterable<string>): string[] {
  return [...new Set([...codes].map((c) => c.trim()).filter((c) => c.length > 0))].sort();
}

/** A hint is template codes joined by `+`, in any order (`iron_ingot+fire_salt`). */
export function parseHint(hint: string): string[] {
  return canonicalCodes(hint.split('+'));
}

/** The combination as one string (`fire_salt+iron_ingot`): what an attempt is keyed and hashed by. */
export function combinationKey(codes: Iterable<string>, stationType: string | null = null): string {
  const key = canonicalCodes(codes).join('+');
  return stationType ? `${key}@${stationType}` : key;
}

/** Station types the recipe's steps need (empty when no step needs a station). */
export function requiredStationTypes(recipe: DiscoveryRecipe): Set<string> {
  return new Set(recipe.steps.map((s) => s.stationType).filter((t): t is string => !!t));
}

function prerequisitesKnown(recipe: DiscoveryRecipe, known: KnownSet): boolean {
  return (recipe.prerequisiteRecipeCodes ?? []).every((code) => known.codes.has(code));
}

function isKnown(recipe: DiscoveryRecipe, known: KnownSet): boolean {
  return !!recipe.isDefaultKnown || known.ids.has(recipe.recipeId) || known.codes.has(recipe.code);
}

/**
 * A recipe an attempt may discover: discoverable, not deprecated, not known yet, every
 * prerequisite known, and, when the attempt is made at a station type, a recipe whose
 * steps need stations needs that type among them (a recipe needing no station stays eligible).
 */
export function isEligible(recipe: DiscoveryRecipe, known: KnownSet, stationType: string | null): boolean {
  if (!recipe.isDiscoverable || recipe.isDeprecated || isKnown(recipe, known)) return false;
  if (!prerequisitesKnown(recipe, known)) return false;
  if (stationType) {
    const types = requiredStationTypes(recipe);
    if (types.size > 0 && !types.has(stationType)) return false;
  }
  return true;
}

/** |a ∩ b| / |a ∪ b| of two sets of codes (0 when both are empty). */
export function jaccard(a: readonly string[], b: readonly string[]): number {
  const left = new Set(a);
  const right = new Set(b);
  let common = 0;
  for (const c of left) if (right.has(c)) common++;
  const union = left.size + right.size - common;
  return union === 0 ? 0 : common / union;
}

export interface MatchResult<R extends DiscoveryRecipe> {
  /** The discovered recipe (the first by code when several match), or null. */
  recipe: R | null;
  /** On a miss: best Jaccard similarity over the eligible recipes' hints, 2 decimals; null when 0 or on a match. */
  hintProgression: number | null;
}

/**
 * The default matcher (seed quirk 8: exact match on sorted material codes): the attempt
 * matches an eligible recipe when its sorted distinct codes equal the sorted codes of one
 * of the recipe's hints.
 */
export function matchAttempt<R extends DiscoveryRecipe>(
  recipes: readonly R[],
  offeredCodes: readonly string[],
  known: KnownSet,
  stationType: string | null,
): MatchResult<R> {
  const offered = canonicalCodes(offeredCodes);
  const key = offered.join('+');
  const eligible = recipes.filter((r) => isEligible(r, known, stationType)).sort((a, b) => compareCodes(a.code, b.code));
  let best = 0;
  for (const recipe of eligible) {
    for (const hint of recipe.discoveryHints ?? []) {
      const codes = parseHint(hint);
      if (codes.length === 0) continue;
      if (codes.join('+') === key) return { recipe, hintProgression: null };
      best = Math.max(best, jaccard(offered, codes));
    }
  }
  const rounded = Math.round(best * 100) / 100;
  return { recipe: null, hintProgression: rounded > 0 ? rounded : null };
}

/**
 * Recipes unlocked by knowing `known`: every non-discoverable, non-deprecated recipe that
 * is not known yet and whose (non-empty) prerequisites are all known, repeated until
 * nothing more unlocks (an unlocked recipe can be another one's prerequisite). Sorted by
 * the order they unlock in, then by code.
 */
export function prerequisiteUnlocks<R extends DiscoveryRecipe>(recipes: readonly R[], known: KnownSet): R[] {
  const ids = new Set(known.ids);
  const codes = new Set(known.codes);
  const unlocked: R[] = [];
  const candidates = recipes
    .filter((r) => !r.isDiscoverable && !r.isDeprecated && (r.prerequisiteRecipeCodes ?? []).length > 0)
    .sort((a, b) => compareCodes(a.code, b.code));
  for (;;) {
    const round = candidates.filter(
      (r) => !r.isDefaultKnown && !ids.has(r.recipeId) && !codes.has(r.code) && prerequisitesKnown(r, { ids, codes }),
    );
    if (round.length === 0) return unlocked;
    for (const r of round) {
      ids.add(r.recipeId);
      codes.add(r.code);
      unlocked.push(r);
    }
  }
}

function compareCodes(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
