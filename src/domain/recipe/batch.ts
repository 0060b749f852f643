/**
 * Batches: one session crafting `n` of a production recipe (session/start `batch`). The session's
 * recipe snapshot is the recipe scaled: inputs, outputs, currency costs and base experience times
 * n (a first-craft bonus stays once). Everything downstream (allocation, escrow, holds, the
 * station's capacity, completion, a ruleset's loss over the whole pool) reads the snapshot, so
 * a batch needs no path of its own.
 */

export interface BatchableRecipe {
  recipeType: string;
  maxBatch?: number | null;
  inputs?: readonly { quantity: number }[] | null;
  outputs?: readonly { quantity: number }[] | null;
  currencyCosts?: readonly { amount: number }[] | null;
  experienceGrants?: readonly { baseExperience: number }[] | null;
}

const q4 = (x: number) => Math.round(x * 1e4) / 1e4;

/** Why a batch of `n` is refused (null: allowed). */
export function batchRefusal(recipe: BatchableRecipe, n: number, trial: boolean): string | null {
  if (n <= 1) return null;
  if (recipe.recipeType !== 'production') return `only production recipes craft in batches; this one is "${recipe.recipeType}"`;
  if (trial) return 'a trial craft makes one';
  const max = recipe.maxBatch ?? 1;
  if (n > max) return `this recipe crafts at most ${max} per session (maxBatch)`;
  return null;
}

/** The recipe as one session of `n` crafts it; `batch` marks the snapshot. */
export function scaleRecipe<R extends BatchableRecipe>(recipe: R, n: number): R & { batch?: number } {
  if (n <= 1) return recipe;
  return {
    ...recipe,
    batch: n,
    ...(recipe.inputs && { inputs: recipe.inputs.map((i) => ({ ...i, quantity: q4(i.quantity * n) })) }),
    ...(recipe.outputs && { outputs: recipe.outputs.map((o) => ({ ...o, quantity: q4(o.quantity * n) })) }),
    ...(recipe.currencyCosts && { currencyCosts: recipe.currencyCosts.map((c) => ({ ...c, amount: q4(c.amount * n) })) }),
    ...(recipe.experienceGrants && { experienceGrants: recipe.experienceGrants.map((g) => ({ ...g, baseExperience: q4(g.baseExperience * n) })) }),
  };
}

/** A recipe's size: the units of material its required inputs take for one craft of a (possibly scaled) snapshot: `recipe.size` in rulesets. */
export function craftSize(recipe: { inputs?: readonly { quantity: number; optional?: boolean | null }[] | null; batch?: number }): number {
  return q4((recipe.inputs ?? []).reduce((n, i) => n + (i.optional ? 0 : i.quantity), 0) / (recipe.batch ?? 1));
}
