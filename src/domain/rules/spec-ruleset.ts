import { compileRuleset, type CompiledRuleset } from './compile.js';
import { apply, init, type Draw, type EngineInputs, type EngineState } from './engine.js';
import { outcomeQuality } from './outcome.js';
import type { ActionDef, Expr, RulesetDefinition } from './ruleset.js';

/**
 * The specification's model (seed 004) as the default ruleset: a recipe that names no ruleset
 * plays this one, in the same engine as every other. The quality formula of ARCHITECTURE.md
 * ("Our answers to what the seed leaves open") lives here and only here, as data:
 *
 * - pool `base` starts at materialQuality x w.material + proficiencyFactor x w.proficiency
 *   + toolFactor x w.tool (the factors and weights are the recipe's inputs);
 * - pool `bonus` (within [-0.1, +0.1]) gains, per skill-check step, (score - 0.5) x 2 x 0.1 / the
 *   number of skill checks, rounded to 6 places, where score is the caller's performance or,
 *   without one, 0.5 x roll + 0.5 x proficiencyFactor;
 * - quality = clamp01(base + bonus + collaboration bonus), the outcome's quality.
 *
 * Step i is action `step_<i+1>`, usable on turn i only (steps complete in order). The session
 * service keeps what is not quality (durations, roles, tools, milestones, consumption); the
 * estimate simulates this ruleset; the planner starts it; completion reads its quality.
 */

export interface SpecStep {
  code?: string;
  skillCheck?: boolean | null;
}

export interface SpecWeights {
  materialQuality: number;
  proficiencyLevel: number;
  toolQuality: number;
}

export interface SpecFactors {
  material: number;
  proficiency: number;
  tool: number;
}

/** What a step session plays with: its factors, the recipe's weights, its collaboration bonus. */
export interface SpecSetup {
  steps: readonly SpecStep[];
  factors: SpecFactors;
  weights: SpecWeights;
  collaborationBonus: number;
}

const v = (path: string) => ({ var: path });
/** round(x x 10^6) / 10^6, as a session stores a step's contribution. */
const round6 = (x: Expr) => ({ '/': [{ round: [{ '*': [x, 1_000_000] }] }, 1_000_000] });

const BASE: Expr = {
  '+': [
    { '*': [v('materials.quality'), v('recipe.weightMaterial')] },
    { '*': [v('crafter.proficiencyFactor'), v('recipe.weightProficiency')] },
    { '*': [v('tool.quality'), v('recipe.weightTool')] },
  ],
};
/** The reported performance, else a roll blended with proficiency. */
const SCORE: Expr = {
  if: [{ '==': [v('performance'), null] }, { '+': [{ '*': [0.5, v('roll')] }, { '*': [0.5, v('crafter.proficiencyFactor')] }] }, v('performance')],
};
const STEP_BONUS: Expr = round6({ '/': [{ '*': [{ '-': [v('score'), 0.5] }, 2, 0.1] }, v('recipe.skillChecks')] });
const QUALITY: Expr = { '+': [v('pools.base'), v('pools.bonus'), v('recipe.collaborationBonus')] };

/** Action code of the step at `index`. */
export const specAction = (index: number) => `step_${index + 1}`;

export function specDefinition(steps: readonly SpecStep[]): RulesetDefinition {
  const actions: ActionDef[] = steps.map((s, i) => ({
    code: specAction(i),
    name: s.code,
    requires: { '==': [v('turn'), i] },
    ...(s.skillCheck && { score: SCORE, onSuccess: [{ op: 'add' as const, pool: 'bonus', amount: STEP_BONUS }] }),
  }));
  return {
    code: 'lib_craft_steps',
    name: 'The specification: steps in order, skill checks, one quality formula',
    pools: [
      { name: 'base', start: BASE },
      { name: 'bonus', start: 0, min: -0.1, max: 0.1 },
    ],
    // A recipe without steps still needs an action; none is ever usable.
    actions: actions.length > 0 ? actions : [{ code: 'step_1', requires: false }],
    end: { success: { '>=': [v('turn'), Math.max(1, steps.length)] } },
    outcome: { mode: 'allOrNothing', score: { '*': [QUALITY, 100] }, success: true, quality: QUALITY },
  };
}

/** Compiled once per shape of steps (which are skill checks): recipes share them. */
const COMPILED = new Map<string, CompiledRuleset>();

export function specRuleset(steps: readonly SpecStep[]): CompiledRuleset {
  const key = steps.map((s) => (s.skillCheck ? '1' : '0')).join('');
  let rs = COMPILED.get(key);
  if (!rs) {
    const { ruleset, problems } = compileRuleset(specDefinition(steps));
    if (!ruleset) throw new Error(`the default ruleset does not compile: ${JSON.stringify(problems)}`);
    if (COMPILED.size >= 1000) COMPILED.clear();
    COMPILED.set(key, ruleset);
    rs = ruleset;
  }
  return rs;
}

export function specInputs(setup: SpecSetup): EngineInputs {
  return {
    stats: {},
    params: {},
    recipe: {
      steps: setup.steps.length,
      skillChecks: setup.steps.filter((s) => s.skillCheck).length,
      weightMaterial: setup.weights.materialQuality,
      weightProficiency: setup.weights.proficiencyLevel,
      weightTool: setup.weights.toolQuality,
      collaborationBonus: setup.collaborationBonus,
    },
    crafter: { level: 0, proficiencyFactor: setup.factors.proficiency },
    materials: { quality: setup.factors.material, count: 0, tier: 0 },
    tool: { quality: setup.factors.tool },
    station: { quality: 0, tier: 0 },
    trial: false,
    recipeTraits: [],
  };
}

/** A step session's rules: the compiled ruleset, its inputs and its state after `stepsDone` steps whose bonuses total `bonusTotal`. */
export function specSession(setup: SpecSetup, progress: { stepsDone: number; bonusTotal: number; attempt?: number } = { stepsDone: 0, bonusTotal: 0 }) {
  const rs = specRuleset(setup.steps);
  const inputs = specInputs(setup);
  const state = init(rs, inputs, progress.attempt ?? 1);
  const [min, max] = state.bounds.bonus!;
  state.pools.bonus = Math.min(max!, Math.max(min!, progress.bonusTotal));
  state.turn = progress.stepsDone;
  return { rs, inputs, state };
}

const NO_DRAWS: Draw = (stream) => {
  throw new Error(`the default ruleset draws nothing from "${stream}" here`);
};

/** The quality a step session has in `state` (its final quality once every step is done): the outcome's. */
export function specQuality(rs: CompiledRuleset, inputs: EngineInputs, state: EngineState): number {
  return outcomeQuality(rs, inputs, state);
}

/**
 * Step `index` played: its score (the performance, or the roll when none was reported and the
 * step is a skill check) and its contribution to the bonus pool.
 */
export function specStep(
  rs: CompiledRuleset,
  inputs: EngineInputs,
  state: EngineState,
  index: number,
  performance: number | null | undefined,
  roll: () => number,
): { state: EngineState; score: number | null; roll: number | null; contribution: number } {
  const played = apply(rs, inputs, state, specAction(index), { performance }, (stream) => (stream === 'score' ? roll() : NO_DRAWS(stream)));
  return { state: played.state, score: played.result.score, roll: played.result.roll, contribution: played.result.deltas.bonus ?? 0 };
}
