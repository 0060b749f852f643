import { Piscina } from 'piscina';
import type { CompiledRuleset } from '../../domain/rules/compile.js';
import { RuleError, type EngineInputs } from '../../domain/rules/engine.js';
import { checkPolicy, simulateRules, summarizeRuns, type Policy, type RulesEstimateResult } from '../../domain/rules/simulate.js';
import type { RangeResult, RangeTask } from './estimate-worker.js';

/** Below this many simulations an estimate runs on the request's own thread (a thread hop would cost more than it saves). */
export const MIN_THREADED_SIMULATIONS = 200;

/**
 * Ruleset estimates on worker threads (CRAFT_ESTIMATE_THREADS; 0 = on the request's thread).
 * An estimate's simulations are split into one contiguous range per thread, simulated in
 * parallel and joined in order: the result is exactly the one-thread result (each simulation
 * depends on its seed alone), the event loop stays free for other requests meanwhile, and on a
 * machine with idle cores an estimate answers in a fraction of the time.
 *
 * Threads start at the first threaded estimate and stop after a minute unused.
 */
export class EstimateThreads {
  private pool: Piscina | null = null;

  constructor(private readonly threads: number) {}

  async estimate(
    ruleset: { rulesetId: string; definition: unknown },
    rs: CompiledRuleset,
    inputs: EngineInputs,
    policy: Policy,
    opts: { simulations: number; seed: string; turnBudget: number },
  ): Promise<RulesEstimateResult> {
    if (this.threads === 0 || opts.simulations < MIN_THREADED_SIMULATIONS) return simulateRules(rs, inputs, policy, opts);
    checkPolicy(rs, policy);
    const pool = this.poolOf();
    const per = Math.ceil(opts.simulations / this.threads);
    const tasks: Promise<RangeResult>[] = [];
    for (let from = 0; from < opts.simulations; from += per) {
      const task: RangeTask = { rulesetId: ruleset.rulesetId, inputs, policy, seed: opts.seed, from, to: Math.min(opts.simulations, from + per), turnBudget: opts.turnBudget };
      // A thread that has not compiled this version yet asks for its definition once.
      tasks.push(
        (pool.run(task) as Promise<RangeResult>).then((r) => ('missing' in r ? (pool.run({ ...task, definition: ruleset.definition }) as Promise<RangeResult>) : r)),
      );
    }
    const ranges = [];
    for (const r of await Promise.all(tasks)) {
      if ('missing' in r) throw new Error(`an estimate thread could not compile ruleset ${ruleset.rulesetId}`);
      if ('error' in r) throw new RuleError(r.error.code, r.error.message, r.error.details);
      ranges.push(r.runs);
    }
    return summarizeRuns(rs, policy, ranges, opts.turnBudget);
  }

  async close(): Promise<void> {
    const pool = this.pool;
    this.pool = null;
    await pool?.destroy();
  }

  private poolOf(): Piscina {
    if (!this.pool) {
      // From the sources (tests, npm run dev) the worker is TypeScript, loaded through tsx as the parent is.
      const fromSource = import.meta.url.endsWith('.ts');
      this.pool = new Piscina({
        filename: new URL(fromSource ? './estimate-worker.ts' : './estimate-worker.js', import.meta.url).href,
        ...(fromSource && { execArgv: ['--import', 'tsx'] }),
        minThreads: 0,
        maxThreads: this.threads,
        idleTimeout: 60_000,
      });
    }
    return this.pool;
  }
}
