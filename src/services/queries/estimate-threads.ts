import { Piscina } from 'piscina';
import { CraftError } from '../../domain/errors.js';
import type { CompiledRuleset } from '../../domain/rules/compile.js';
import { RuleError, type EngineInputs } from '../../domain/rules/engine.js';
import { checkPolicy, simulateRules, summarizeRuns, type Policy, type RulesEstimateResult } from '../../domain/rules/simulate.js';
import type { RangeResult, RangeTask } from './estimate-worker.js';

/** Ranges waiting for a thread, per thread, before estimates are refused (429). */
const MAX_QUEUED_PER_THREAD = 16;

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
    // Estimates beyond what the threads can take soon are refused rather than queued without end.
    if (pool.queueSize >= this.threads * MAX_QUEUED_PER_THREAD) {
      throw new CraftError('RATE_LIMITED', 'too many estimates are being simulated; retry shortly', { queued: pool.queueSize });
    }
    const per = Math.ceil(opts.simulations / this.threads);
    const ranges = Math.ceil(opts.simulations / per);
    // Each range publishes its work here, so a later one stops once the budget is spent (a greedy
    // policy may spend it all in the first range).
    const work = new Int32Array(new SharedArrayBuffer(4 * ranges));
    const tasks: Promise<RangeResult>[] = [];
    for (let k = 0; k < ranges; k++) {
      const from = k * per;
      const task: RangeTask = {
        rulesetId: ruleset.rulesetId,
        inputs,
        policy,
        seed: opts.seed,
        from,
        to: Math.min(opts.simulations, from + per),
        turnBudget: opts.turnBudget,
        progress: { work, index: k },
      };
      // A thread that has not compiled this version yet asks for its definition once.
      tasks.push(
        (pool.run(task) as Promise<RangeResult>).then((r) => ('missing' in r ? (pool.run({ ...task, definition: ruleset.definition }) as Promise<RangeResult>) : r)),
      );
    }
    const results = [];
    for (const r of await Promise.all(tasks)) {
      if ('missing' in r) throw new Error(`an estimate thread could not compile ruleset ${ruleset.rulesetId}`);
      if ('error' in r) throw new RuleError(r.error.code, r.error.message, r.error.details);
      results.push(r.runs);
    }
    return summarizeRuns(rs, policy, results, opts.turnBudget);
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
