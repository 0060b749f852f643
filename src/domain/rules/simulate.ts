import type { CompiledRuleset } from './compile.js';
import { TurnDrawer } from './draws.js';
import { applyInPlace, applyState, available, contextOf, init, restart, RuleError, timeOut, type EngineInputs, type EngineState } from './engine.js';
import { toBoolean, toNumber } from './expr.js';
import { defaultQuality } from './outcome.js';
import { settleAttempt } from './play.js';

/**
 * Estimates of a ruleset recipe: sessions simulated with the engine a real session runs (same
 * functions, same RNG streams from a seed per simulation), played by a policy. Bounded by a
 * budget of turns so that one request never holds the event loop for long.
 *
 * Policies:
 * - `sequence`: the given actions in order (one that cannot be used now is skipped), then greedy;
 * - `greedy`: one step of lookahead: the usable action whose expected value after it is highest,
 *   where the value of a state is the outcome score, or -1e9 when the attempt has ended and
 *   would not yield anything (ties: the first declared). It does not plan: rulesets whose success
 *   needs a plan (synthesis) are better estimated with a sequence.
 * Consumables are assumed at hand, period charges unused and time limits not reached. The
 * budget counts engine turns computed, the greedy lookahead included (about 2 per usable action).
 */

export interface Policy {
  kind: 'greedy' | 'sequence';
  actions?: readonly string[];
  /** Reported with every action (null: none, so rolls decide as in a session without one). */
  performance?: number | null;
}

export interface RulesEstimateResult {
  simulations: number;
  policy: string;
  successRate: number;
  bands: { name: string; probability: number }[];
  pools: Record<string, { mean: number; p10: number; p50: number; p90: number }>;
  turns: { mean: number; max: number };
  /** Quality (0..1) of each simulated session's outputs, 0 for one that yields nothing. */
  qualities: number[];
  /** What the outputs of the yielding sessions carry: attributes' percentiles, shares of rarity and of each trait. */
  outputs: {
    attributes: Record<string, { mean: number; p10: number; p50: number; p90: number }>;
    rarity: Record<string, number>;
    traits: Record<string, number>;
  };
}

const FAILED = -1e9;

function valueOf(rs: CompiledRuleset, inputs: EngineInputs, state: EngineState): number {
  const score = toNumber(rs.outcome.score(contextOf(inputs, state)));
  if (!state.ended) return score;
  return wouldYield(rs, inputs, state, score) ? score : FAILED + score;
}

/** Whether an ended attempt yields outputs (what outcome() decides, without its draws). */
export function wouldYield(rs: CompiledRuleset, inputs: EngineInputs, state: EngineState, score: number): boolean {
  if (state.ended?.how === 'fail') return false;
  if (rs.outcome.mode === 'bands') {
    let success = false;
    for (const b of rs.outcome.bands) if (score >= b.min) success = b.success;
    return success;
  }
  const ctx = contextOf(inputs, state, { score, outcome: { score, ended: state.ended?.how ?? null } });
  return rs.outcome.success ? toBoolean(rs.outcome.success(ctx)) : state.ended?.how === 'success';
}

/** The greedy choice in a state, or null when no action can be used. */
export function greedyChoice(rs: CompiledRuleset, inputs: EngineInputs, state: EngineState, performance: number | null, work = { applies: 0 }): string | null {
  let best: string | null = null;
  let bestValue = Number.NEGATIVE_INFINITY;
  for (const view of available(rs, inputs, state)) {
    if (!view.usable) continue;
    const branch = (success: boolean) =>
      ++work.applies &&
      valueOf(rs, inputs, applyState(rs, inputs, state, view.code, { performance }, (s) => (s === 'success' ? (success ? 0 : 0.999999) : 0.5)));
    const value = view.chance >= 1 ? branch(true) : view.chance <= 0 ? branch(false) : view.chance * branch(true) + (1 - view.chance) * branch(false);
    if (value > bestValue) {
      bestValue = value;
      best = view.code;
    }
  }
  return best;
}

/**
 * Simulates sessions until `simulations` or the turn budget runs out (at least one). Each
 * simulation is a session with seed `<seed>:<i>`: the same engine calls and draws as
 * play() makes for a real session (play.ts), without its bookkeeping.
 */
export function simulateRules(
  rs: CompiledRuleset,
  inputs: EngineInputs,
  policy: Policy,
  opts: { simulations: number; seed: string; turnBudget: number },
): RulesEstimateResult {
  checkPolicy(rs, policy);
  const runs = simulateRange(rs, inputs, policy, { seed: opts.seed, from: 0, to: opts.simulations, turnBudget: opts.turnBudget });
  return summarizeRuns(rs, policy, [runs], opts.turnBudget);
}

/** Refuses a sequence naming an action the ruleset does not have. */
export function checkPolicy(rs: CompiledRuleset, policy: Policy): void {
  for (const code of policy.kind === 'sequence' ? (policy.actions ?? []) : []) {
    if (!rs.actions.has(code)) throw new RuleError('ACTION_NOT_FOUND', `"${code}" is not an action of this ruleset`, { action: code, actions: rs.actionCodes });
  }
}

/** Where parallel ranges publish the work they have done (range `index` writes `work[index]`). */
export interface RangeProgress {
  work: Int32Array;
  index: number;
}

/** One simulated session and the engine turns it computed (the greedy lookahead included). */
export interface SimRun extends SimOutcome {
  work: number;
}

/**
 * Simulations `from` .. `to` - 1 (seeds `<seed>:<i>`), stopping once they computed `turnBudget`
 * turns. A simulation depends on its seed alone, so ranges simulated apart (estimate threads)
 * and joined in order by summarizeRuns give exactly what one range gives.
 */
export function simulateRange(
  rs: CompiledRuleset,
  inputs: EngineInputs,
  policy: Policy,
  opts: { seed: string; from: number; to: number; turnBudget: number; progress?: RangeProgress },
): SimRun[] {
  const performance = policy.performance ?? null;
  const input = { performance };
  const sequence = policy.kind === 'sequence' ? (policy.actions ?? []) : [];
  const runs: SimRun[] = [];
  // The budget counts every engine turn computed, the greedy policy's lookahead included.
  const work = { applies: 0 };
  const drawer = new TurnDrawer('');
  // Every simulation starts from the same state (init draws nothing): one state object is put
  // back to it before each, instead of a new one per simulation.
  const start = init(rs, inputs, 1);
  const reused = init(rs, inputs, 1);
  const progress = opts.progress;
  // Ranges simulated in parallel: the work the earlier ranges have published so far is a lower
  // bound of theirs, so a range stops as soon as the budget is spent by that and its own.
  const earlier = () => {
    let sum = 0;
    if (progress) for (let j = 0; j < progress.index; j++) sum += Atomics.load(progress.work, j);
    return sum;
  };
  for (let i = opts.from; i < opts.to && (i === opts.from || work.applies + earlier() < opts.turnBudget); i++) {
    const seed = `${opts.seed}:${i}`;
    const workBefore = work.applies;
    drawer.reseed(seed);
    restart(reused, start);
    let state = reused;
    let turns = 0;
    let next = 0;
    for (;;) {
      if (state.ended) {
        const o = settleAttempt(rs, inputs, state, seed, drawer.at(state.attempt, 'end'));
        if (!o.success && !inputs.trial && state.attempt < rs.attempts.max) {
          state = init(rs, inputs, state.attempt + 1, { sessionUses: state.sessionUses });
          next = 0;
          continue;
        }
        const band = rs.outcome.mode === 'bands' ? (o.band ?? 'none') : o.ended === 'fail' ? 'failed' : o.success ? 'success' : 'failure';
        runs.push({
          band,
          success: o.success,
          pools: { ...state.pools },
          turns,
          quality: o.success ? (o.quality ?? defaultQuality(o.score)) : 0,
          carried: o.success ? { attributes: o.attributes, rarity: o.rarity, traits: o.traits } : null,
          work: work.applies - workBefore,
        });
        if (progress) Atomics.store(progress.work, progress.index, Math.min(work.applies, 0x7fffffff));
        break;
      }
      // The sequence's next usable action (apply refuses an unusable one before any draw) ...
      let played = false;
      while (!played && next < sequence.length) played = applyIfUsable(rs, inputs, state, sequence[next++]!, input, drawer);
      if (!played) {
        // ... else the greedy choice.
        const action = greedyChoice(rs, inputs, state, performance, work);
        if (action === null) {
          // Nothing can be used: the attempt ends as its time running out would end it.
          state = timeOut(rs, state);
          continue;
        }
        applyInPlace(rs, inputs, state, action, input, drawer.at(state.attempt, state.turn + 1));
      }
      turns++;
      work.applies++;
    }
  }
  return runs;
}

/**
 * The estimate of ranges of simulations, joined in order: simulation i counts when it is the
 * first or the ones before it computed fewer than `turnBudget` turns (what one range stops at).
 */
export function summarizeRuns(rs: CompiledRuleset, policy: Policy, ranges: SimRun[][], turnBudget: number): RulesEstimateResult {
  const outcomes: SimOutcome[] = [];
  let work = 0;
  for (const runs of ranges) {
    for (const run of runs) {
      if (outcomes.length > 0 && work >= turnBudget) return summarize(rs, policy, outcomes);
      outcomes.push(run);
      work += run.work;
    }
  }
  return summarize(rs, policy, outcomes);
}

/** Takes the action in place (the draws of the attempt's next turn); false when it cannot be used now (nothing drawn, nothing changed). */
function applyIfUsable(rs: CompiledRuleset, inputs: EngineInputs, state: EngineState, code: string, input: { performance: number | null }, drawer: TurnDrawer): boolean {
  try {
    applyInPlace(rs, inputs, state, code, input, drawer.at(state.attempt, state.turn + 1));
    return true;
  } catch (err) {
    if (err instanceof RuleError && err.code === 'ACTION_NOT_AVAILABLE') return false;
    throw err;
  }
}

interface SimOutcome {
  band: string;
  success: boolean;
  pools: Record<string, number>;
  turns: number;
  quality: number;
  /** What the outputs carry (success only). */
  carried: { attributes: Record<string, number>; rarity: string | null; traits: string[] } | null;
}

const round6 = (x: number) => Math.round(x * 1e6) / 1e6;

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]!;
}

function summarize(
  rs: CompiledRuleset,
  policy: Policy,
  outcomes: SimOutcome[],
): RulesEstimateResult {
  const n = outcomes.length;
  const names = rs.outcome.mode === 'bands' ? rs.outcome.bands.map((b) => b.name) : ['success', 'failure', 'failed'];
  const counts = new Map<string, number>(names.map((b) => [b, 0]));
  for (const o of outcomes) counts.set(o.band, (counts.get(o.band) ?? 0) + 1);
  const pools: RulesEstimateResult['pools'] = {};
  for (const p of rs.pools) {
    const values = outcomes.map((o) => o.pools[p.name] ?? 0).sort((a, b) => a - b);
    pools[p.name] = {
      mean: round6(values.reduce((s, v) => s + v, 0) / Math.max(1, n)),
      p10: percentile(values, 0.1),
      p50: percentile(values, 0.5),
      p90: percentile(values, 0.9),
    };
  }
  return {
    simulations: n,
    policy: policy.kind,
    successRate: round6(outcomes.filter((o) => o.success).length / Math.max(1, n)),
    bands: [...counts].map(([name, c]) => ({ name, probability: round6(c / Math.max(1, n)) })),
    pools,
    turns: { mean: round6(outcomes.reduce((s, o) => s + o.turns, 0) / Math.max(1, n)), max: Math.max(0, ...outcomes.map((o) => o.turns)) },
    qualities: outcomes.map((o) => o.quality),
    outputs: carriedSummary(outcomes),
  };
}

function carriedSummary(outcomes: SimOutcome[]): RulesEstimateResult['outputs'] {
  const carried = outcomes.map((o) => o.carried).filter((c): c is NonNullable<SimOutcome['carried']> => c !== null);
  const n = Math.max(1, carried.length);
  const attributes: RulesEstimateResult['outputs']['attributes'] = {};
  const names = new Set(carried.flatMap((c) => Object.keys(c.attributes)));
  for (const name of names) {
    const values = carried.map((c) => c.attributes[name] ?? 0).sort((a, b) => a - b);
    attributes[name] = { mean: round6(values.reduce((s, v) => s + v, 0) / n), p10: percentile(values, 0.1), p50: percentile(values, 0.5), p90: percentile(values, 0.9) };
  }
  const share = (counts: Map<string, number>) => Object.fromEntries([...counts].map(([k, c]) => [k, round6(c / n)]));
  const rarity = new Map<string, number>();
  const traits = new Map<string, number>();
  for (const c of carried) {
    if (c.rarity) rarity.set(c.rarity, (rarity.get(c.rarity) ?? 0) + 1);
    for (const t of new Set(c.traits)) traits.set(t, (traits.get(t) ?? 0) + 1);
  }
  return { attributes, rarity: share(rarity), traits: share(traits) };
}
