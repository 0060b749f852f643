import { compileRuleset, type CompiledRuleset } from '../../domain/rules/compile.js';
import { RuleError, type EngineInputs } from '../../domain/rules/engine.js';
import type { RulesetDefinition } from '../../domain/rules/ruleset.js';
import { simulateRange, type Policy, type RangeProgress, type SimRun } from '../../domain/rules/simulate.js';

/**
 * An estimate thread (estimate-threads.ts): simulates one range of an estimate's simulations.
 * A ruleset version is compiled once per thread and kept while it is used.
 */

export interface RangeTask {
  /** The ruleset version's id: the compiled ruleset is cached under it. */
  rulesetId: string;
  /** Sent only when the thread asked for it (a version it has not compiled yet): cloning it per task would cost more than the task's own data. */
  definition?: unknown;
  inputs: EngineInputs;
  policy: Policy;
  seed: string;
  from: number;
  to: number;
  turnBudget: number;
  /** Shared with the other ranges of the estimate (a SharedArrayBuffer): the work each has done. */
  progress: RangeProgress;
}

export type RangeResult =
  | { runs: SimRun[] }
  | { error: { code: RuleError['code']; message: string; details: Record<string, unknown> } }
  /** This thread has not compiled the version: send the task again with its definition. */
  | { missing: true };

const MAX_COMPILED = 64;
const compiled = new Map<string, CompiledRuleset>();

function compiledOf(rulesetId: string, definition: unknown): CompiledRuleset | null {
  let rs = compiled.get(rulesetId);
  if (!rs) {
    if (definition === undefined) return null;
    const { ruleset, problems } = compileRuleset(definition as RulesetDefinition);
    if (!ruleset) throw new Error(`stored ruleset ${rulesetId} does not compile: ${problems.map((p) => `${p.path} ${p.message}`).join('; ')}`);
    if (compiled.size >= MAX_COMPILED) compiled.clear();
    compiled.set(rulesetId, ruleset);
    rs = ruleset;
  }
  return rs;
}

export default function simulateTask(task: RangeTask): RangeResult {
  const rs = compiledOf(task.rulesetId, task.definition);
  if (!rs) return { missing: true };
  try {
    return { runs: simulateRange(rs, task.inputs, task.policy, task) };
  } catch (err) {
    // A rule refusal crosses the thread boundary as data (an Error's class would not).
    if (err instanceof RuleError) return { error: { code: err.code, message: err.message, details: err.details } };
    throw err;
  }
}
