import type { CompiledRuleset } from './compile.js';
import { apply, available, contextOf, init, timeOut, type ActionView, type Draw, type EndReason, type EngineInputs, type EngineState, type TurnResult } from './engine.js';
import { toNumber } from './expr.js';
import { defaultQuality, outcome, type RuleOutcome } from './outcome.js';
import { drawsFor } from './draws.js';
import type { RulesetDefinition } from './ruleset.js';

/**
 * A ruleset session's rules, as stored with the session (pure data, JSON): the version it
 * plays, what it started with, the engine state, every turn and every ended attempt. The
 * functions here move it forward; the session service stores it and applies the effects.
 */

export interface RulesTurn {
  attempt: number;
  turn: number;
  action: string;
  performance: number | null;
  /** The consumable item the action used (its id in the crafter's inventory). */
  consumedItemId: string | null;
  at: string;
  result: TurnResult;
}

export interface AttemptOutcome extends RuleOutcome {
  attempt: number;
  ended: EndReason;
}

export interface RulesRecord {
  rulesetId: string;
  code: string;
  version: number;
  /** The version's definition, so a session replays on its own. */
  definition: RulesetDefinition;
  inputs: EngineInputs;
  trial: boolean;
  state: EngineState;
  turns: RulesTurn[];
  outcomes: AttemptOutcome[];
  maxAttempts: number;
  attemptStartedAt: string;
  /** When the current attempt's time runs out (end.timeLimitSeconds); null = no limit. */
  deadline: string | null;
  /** The attempt failed and another is allowed: session/retry starts it. */
  awaitingRetry: boolean;
  /** The session's own deadline (the session timeout); an attempt's deadline comes first when earlier. */
  sessionExpiresAt: string;
  /** The attempt whose loss is still to be destroyed; null when none is pending. */
  pendingLoss: number | null;
  /** What the outputs are made of (materials.ts `provenance`), written on them; absent on sessions stored before. */
  provenance?: { text: string; materials: { slot: string; itemTemplateCode: string; quantity: number; tier: number | null; rarity: string | null }[] };
}


const deadlineOf = (rs: CompiledRuleset, now: Date) =>
  rs.end.timeLimitSeconds !== null ? new Date(now.getTime() + rs.end.timeLimitSeconds * 1000).toISOString() : null;

/** A new ruleset session's rules: attempt 1 ready for its first action. */
export function startRules(
  rs: CompiledRuleset,
  meta: { rulesetId: string; code: string; version: number },
  inputs: EngineInputs,
  now: Date,
  sessionExpiresAt: Date,
): RulesRecord {
  return {
    ...meta,
    definition: rs.def,
    inputs,
    trial: inputs.trial,
    state: init(rs, inputs, 1),
    turns: [],
    outcomes: [],
    maxAttempts: rs.attempts.max,
    attemptStartedAt: now.toISOString(),
    deadline: deadlineOf(rs, now),
    awaitingRetry: false,
    sessionExpiresAt: sessionExpiresAt.toISOString(),
    pendingLoss: null,
  };
}

/** When the session must next be looked at: the attempt's deadline when earlier than the session's. */
export function nextDeadline(rec: RulesRecord): Date {
  const session = Date.parse(rec.sessionExpiresAt);
  const attempt = rec.deadline && !rec.state.ended ? Date.parse(rec.deadline) : Number.POSITIVE_INFINITY;
  return new Date(Math.min(session, attempt));
}

/** The outcome of an attempt that just ended (draws labelled `end`): sessions and estimates alike. */
export function settleAttempt(rs: CompiledRuleset, inputs: EngineInputs, state: EngineState, seed: string, draw: Draw = drawsFor(seed, state.attempt, 'end')): AttemptOutcome {
  // outcome() answers a fresh object: completed in place (simulations settle thousands).
  const o = outcome(rs, inputs, state, draw) as AttemptOutcome;
  o.attempt = state.attempt;
  o.ended = state.ended!.how;
  return o;
}

/** The draws of an action: those of the attempt's next turn. */
export function turnDraws(seed: string, state: EngineState): Draw {
  return drawsFor(seed, state.attempt, state.turn + 1);
}

function settle(rs: CompiledRuleset, rec: RulesRecord, state: EngineState, seed: string): AttemptOutcome {
  return settleAttempt(rs, rec.inputs, state, seed);
}

export interface Played {
  rules: RulesRecord;
  turn: RulesTurn;
  /** Set when the action ended the attempt. */
  ended: AttemptOutcome | null;
}

/** One action (throws RuleError when it is unknown or cannot be used now; nothing changes then). */
export function play(
  rs: CompiledRuleset,
  rec: RulesRecord,
  action: string,
  input: { performance?: number | null; consumedItemId?: string | null },
  seed: string,
  now: Date,
): Played {
  const { state, result } = apply(rs, rec.inputs, rec.state, action, input, turnDraws(seed, rec.state));
  const turn: RulesTurn = {
    attempt: state.attempt,
    turn: state.turn,
    action,
    performance: typeof input.performance === 'number' ? input.performance : null,
    consumedItemId: input.consumedItemId ?? null,
    at: now.toISOString(),
    result,
  };
  return finishIfEnded(rs, { ...rec, state, turns: [...rec.turns, turn] }, seed, turn);
}

function finishIfEnded(rs: CompiledRuleset, rec: RulesRecord, seed: string, turn: RulesTurn): Played {
  if (!rec.state.ended) return { rules: rec, turn, ended: null };
  const ended = settle(rs, rec, rec.state, seed);
  return { rules: afterEnd(rec, rec.state, ended), turn, ended };
}

function afterEnd(rec: RulesRecord, state: EngineState, ended: AttemptOutcome): RulesRecord {
  const failed = !ended.success && !rec.trial;
  return {
    ...rec,
    state,
    outcomes: [...rec.outcomes, ended],
    // A broken target leaves nothing to retry on.
    awaitingRetry: failed && !ended.breaksTarget && state.attempt < rec.maxAttempts,
    pendingLoss: failed && ended.loss > 0 ? state.attempt : null,
    deadline: null,
  };
}

/** The attempt's time ran out: it ends as the ruleset says (finish as it stands, or fail). */
export function expireAttempt(rs: CompiledRuleset, rec: RulesRecord, seed: string): { rules: RulesRecord; ended: AttemptOutcome } {
  const state = timeOut(rs, rec.state);
  const ended = settle(rs, rec, state, seed);
  return { rules: afterEnd(rec, state, ended), ended };
}

/** The next attempt on what remains of the material pool (session-wide charges carry over). */
export function nextAttempt(rs: CompiledRuleset, rec: RulesRecord, now: Date): RulesRecord {
  return {
    ...rec,
    state: init(rs, rec.inputs, rec.state.attempt + 1, { sessionUses: rec.state.sessionUses }),
    attemptStartedAt: now.toISOString(),
    deadline: deadlineOf(rs, now),
    awaitingRetry: false,
  };
}

/** Every action now (with its cost and chance), for callers to give feedback without a copy of the rules. */
export function actionsNow(rs: CompiledRuleset, rec: RulesRecord): (ActionView & { name: string | null })[] {
  return available(rs, rec.inputs, rec.state).map((a) => ({ ...a, name: rs.actions.get(a.code)?.def.name ?? null }));
}

/** The quality the outputs would carry if the attempt finished now (the outcome's quality, else its score in 0..1). */
export function qualityNow(rs: CompiledRuleset, rec: RulesRecord): number {
  const last = rec.outcomes[rec.outcomes.length - 1];
  if (rec.state.ended && last?.quality != null) return last.quality;
  const ctx = contextOf(rec.inputs, rec.state);
  const score = toNumber(rs.outcome.score(ctx));
  if (!rs.outcome.quality) return defaultQuality(score);
  const q = toNumber(rs.outcome.quality({ ...ctx, score, outcome: { score, ended: null } }));
  return Math.round(Math.min(1, Math.max(0, q)) * 1e6) / 1e6;
}

/**
 * Whole units of a material quantity an attempt's loss destroys: the share rounded to the
 * nearest unit (fractional stacks to 4 decimals), never more than the quantity.
 */
export function lostQuantity(quantity: number, loss: number): number {
  return distributeLoss([quantity], loss)[0]!;
}

/**
 * How a loss share spreads over a material pool: whole quantities lose the share of the pool's
 * whole units rounded to the nearest unit in total, each material its floor plus one unit for
 * those with the largest remainders (ties: the first listed); fractional stacks lose their
 * share to 4 decimals. So 75% of 4 + 2 + 2 units destroys exactly 6: 3, 2 and 1.
 */
export function distributeLoss(quantities: readonly number[], loss: number): number[] {
  const share = Math.min(1, Math.max(0, loss));
  const out = quantities.map((q) => (Number.isInteger(q) ? Math.floor(q * share + 1e-9) : Math.min(q, Math.round(q * share * 1e4) / 1e4)));
  const whole = quantities.map((q, i) => ({ q, i })).filter((x) => Number.isInteger(x.q));
  const exact = whole.reduce((s, x) => s + x.q * share, 0);
  let extra = Math.round(exact + 1e-9) - whole.reduce((s, x) => s + out[x.i]!, 0);
  const byRemainder = [...whole].sort((a, b) => b.q * share - Math.floor(b.q * share + 1e-9) - (a.q * share - Math.floor(a.q * share + 1e-9)) || a.i - b.i);
  for (const x of byRemainder) {
    if (extra <= 0) break;
    if (out[x.i]! < x.q) {
      out[x.i]! += 1;
      extra--;
    }
  }
  return out;
}
