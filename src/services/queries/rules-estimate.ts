import { CraftError } from '../../domain/errors.js';
import type { CompiledRuleset } from '../../domain/rules/compile.js';
import { materialsContext, type MaterialLot } from '../../domain/rules/materials.js';
import { RuleError, type EngineInputs } from '../../domain/rules/engine.js';
import { type Policy, type RulesEstimateResult } from '../../domain/rules/simulate.js';
import type { RecipeInfo } from '../recipes/recipe-model.js';
import type { RulesetInfo } from '../rulesets/ruleset-model.js';
import { statsOf } from '../sessions/rules-sessions.js';
import { craftSize } from '../../domain/recipe/batch.js';

/** Engine turns one estimate may simulate (simulations x turns): keeps a request to tens of milliseconds. */
export const ESTIMATE_TURN_BUDGET = 30_000;

export interface RulesEstimateDeps {
  find(gameServiceId: string, code: string, version?: number | null): Promise<RulesetInfo | null>;
  compiled(info: Pick<RulesetInfo, 'rulesetId' | 'definition'>): CompiledRuleset;
}

/** Where simulations run: the estimate threads (estimate-threads.ts). */
export interface Simulator {
  estimate(
    ruleset: Pick<RulesetInfo, 'rulesetId' | 'definition'>,
    rs: CompiledRuleset,
    inputs: EngineInputs,
    policy: Policy,
    opts: { simulations: number; seed: string; turnBudget: number },
  ): Promise<RulesEstimateResult>;
}

/** What an estimate knows of the crafter and the materials, as a start would compute it. */
export interface EstimateFactors {
  level: number;
  proficiencyFactor: number;
  /** The spec's material quality and the materials named (as a start would take them). */
  materials: { quality: number; lots: MaterialLot[] };
  toolQuality: number;
  stationQuality: number;
  stationTier: number;
}

/**
 * Simulated sessions of a ruleset recipe (src/domain/rules/simulate.ts) from the inputs a start
 * with these factors would have: the distribution of real sessions played by the same policy.
 */
export async function estimateRules(
  d: RulesEstimateDeps,
  simulator: Simulator,
  recipe: RecipeInfo,
  factors: EstimateFactors,
  req: { stats?: Record<string, number> | null; policy?: Policy | null; simulations?: number | null; seed?: number | null },
): Promise<RulesEstimateResult> {
  const ref = recipe.ruleset!;
  const info = await d.find(recipe.gameServiceId, ref.code, ref.version ?? null);
  if (!info) throw new CraftError('VALIDATION_FAILED', `the recipe's ruleset "${ref.code}" does not exist`, { code: ref.code });
  const rs = d.compiled(info);
  const inputs: EngineInputs = {
    stats: statsOf(rs, req.stats ?? {}),
    params: rs.def.params ?? {},
    recipe: { inputs: (recipe.inputs ?? []).length, steps: recipe.steps.length, size: craftSize(recipe), ...(ref.params ?? {}) },
    crafter: { level: factors.level, proficiencyFactor: factors.proficiencyFactor },
    materials: { ...materialsContext(factors.materials.lots, rs.materials.rarity?.scale ?? []), quality: factors.materials.quality },
    tool: { quality: factors.toolQuality },
    station: { quality: factors.stationQuality, tier: factors.stationTier },
    trial: false,
    recipeTraits: ref.traits ?? [],
  };
  try {
    return await simulator.estimate(info, rs, inputs, req.policy ?? { kind: 'greedy' }, {
      simulations: req.simulations ?? 1000,
      seed: String(req.seed ?? 0),
      turnBudget: ESTIMATE_TURN_BUDGET,
    });
  } catch (err) {
    if (err instanceof RuleError) throw new CraftError(err.code, err.message, err.details);
    throw err;
  }
}
