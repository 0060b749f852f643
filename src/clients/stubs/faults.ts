import { ClientError } from '../errors.js';

/**
 * `before`: the call fails before doing anything. `after`: the call's effect is committed,
 * then it fails, so the caller sees an error although the effect happened (the case
 * idempotency keys exist for: retrying with the same key returns the first result).
 */
export type FaultPhase = 'before' | 'after';

export interface FaultOptions {
  /** How many failures to inject before the rule disarms itself; default: until disarm(). */
  times?: number;
  /** Fail every n-th matching call (the n-th, 2n-th, ...); default 1 (every call). */
  every?: number;
  /** Default `before`. */
  phase?: FaultPhase;
}

interface Rule {
  times: number;
  every: number;
  calls: number;
  fired: number;
}

/**
 * Fault injection for the stub services, shared by every stub of a process (tests reach it
 * through the runtime). Operations are named `<service>.<method>`, e.g.
 * `item.createInstance`, `inventory.transfer`, `currency.createHold`,
 * `contract.completeMilestone`; reads (`item.getInstance`) can fail too.
 * An injected failure is `ClientError(<service>, 'unavailable', ...)`.
 */
export class StubFaults {
  private readonly rules = new Map<string, Rule>();
  private readonly injected: { op: string; phase: FaultPhase }[] = [];
  private readonly delays = new Map<string, { ms: number; left: number }>();

  /** Makes the next `times` calls of `op` (default: all) wait `ms` before they run: a slow service. */
  slow(op: string, ms: number, times = Number.POSITIVE_INFINITY): void {
    this.delays.set(op, { ms, left: times });
  }

  /** Waits as a `slow` rule for `op` says (no rule: returns at once). */
  async delay(op: string): Promise<void> {
    const rule = this.delays.get(op);
    if (!rule) return;
    if (--rule.left <= 0) this.delays.delete(op);
    await new Promise((resolve) => setTimeout(resolve, rule.ms));
  }

  /** Arms (or re-arms, replacing the previous rule for the same op and phase) a failure. */
  arm(op: string, opts: FaultOptions = {}): void {
    const times = opts.times ?? Number.POSITIVE_INFINITY;
    const every = opts.every ?? 1;
    if (!(times > 0) || !Number.isInteger(every) || every < 1) {
      throw new Error(`invalid fault options for ${op}: ${JSON.stringify(opts)}`);
    }
    this.rules.set(ruleKey(op, opts.phase ?? 'before'), { times, every, calls: 0, fired: 0 });
  }

  /** Removes every rule (or only those of `op`) and forgets what was injected. */
  disarm(op?: string): void {
    if (op === undefined) {
      this.rules.clear();
      this.delays.clear();
      this.injected.length = 0;
      return;
    }
    this.rules.delete(ruleKey(op, 'before'));
    this.rules.delete(ruleKey(op, 'after'));
    this.delays.delete(op);
  }

  /** Throws the injected failure when a rule for (op, phase) says this call fails. */
  check(op: string, phase: FaultPhase): void {
    const key = ruleKey(op, phase);
    const rule = this.rules.get(key);
    if (!rule) return;
    rule.calls += 1;
    if (rule.calls % rule.every !== 0) return;
    rule.fired += 1;
    if (rule.fired >= rule.times) this.rules.delete(key);
    this.injected.push({ op, phase });
    const service = op.split('.')[0] ?? op;
    throw new ClientError(
      service,
      'unavailable',
      phase === 'before'
        ? `injected failure before ${op}`
        : `injected failure after ${op} (its effect was committed)`,
    );
  }

  /** How many failures were injected (for `op`, or in all). */
  injectedCount(op?: string): number {
    return op === undefined ? this.injected.length : this.injected.filter((i) => i.op === op).length;
  }
}

function ruleKey(op: string, phase: FaultPhase): string {
  return `${phase}:${op}`;
}
