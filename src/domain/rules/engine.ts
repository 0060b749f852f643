import type { CompiledAction, CompiledEffect, CompiledRuleset } from './compile.js';
import { toBoolean, toNumber } from './expr.js';
import type { MaterialsContext } from './materials.js';
import type { Stream } from './ruleset.js';

/**
 * The session engine: pure functions over a compiled ruleset, no I/O. A session and the
 * estimate both call them, so an estimate is the distribution of real sessions by construction.
 *
 * - `init`: the state an attempt starts in;
 * - `available`: each action now, usable or why not, with its cost and chance;
 * - `apply`: one action: costs, the success roll, effects, consumed buffs, buff ticks, the end
 *   checks, the next condition;
 * - `outcome` (outcome.ts): what an ended attempt yields.
 *
 * Randomness comes from `draw(stream)`, a uniform [0, 1) number of a named stream; a session
 * derives each stream from its stored seed, attempt and turn, so it replays exactly.
 */

export type Draw = (stream: Stream) => number;

/** What the session fixes at start and every expression can read (docs/rules.md, "Context"). */
export interface EngineInputs {
  stats: Record<string, number>;
  params: Record<string, number>;
  /** The recipe's ruleset parameters, plus `inputs` (the number of input slots) and `steps`. */
  recipe: Record<string, number | string | boolean>;
  crafter: { level: number; proficiencyFactor: number };
  /** The summary of all materials and per slot (materials.ts); sessions stored before slots have quality, count and tier only. */
  materials: { quality: number; count: number; tier: number } & Partial<MaterialsContext>;
  tool: { quality: number };
  station: { quality: number; tier: number };
  trial: boolean;
  /** The recipe's own quality breakpoints: traits the output gains when the outcome score reaches each. */
  recipeTraits: { min: number; traits: string[] }[];
  /** The traits the crafter chose to inherit from the materials (session/start `inheritTraits`); absent = by the ruleset's rule. */
  chosenTraits?: string[] | null;
}

export interface BuffState {
  stacks: number;
  /** Turns left; null = until consumed or the attempt ends. */
  turns: number | null;
}

export type EndReason = 'success' | 'failure' | 'finish' | 'fail' | 'turns' | 'timeout';

export interface EngineState {
  attempt: number;
  /** Actions taken in this attempt. */
  turn: number;
  pools: Record<string, number>;
  /** Each pool's [min, max], evaluated when the attempt starts; null = unbounded (JSON has no infinity). */
  bounds: Record<string, [number | null, number | null]>;
  buffs: Record<string, BuffState>;
  condition: string | null;
  /** Uses per action in this attempt and in the whole session (charges). */
  attemptUses: Record<string, number>;
  sessionUses: Record<string, number>;
  ended: { how: EndReason; reason?: string } | null;
}

export interface ActionView {
  code: string;
  usable: boolean;
  /** Why not, when not usable. */
  reason: string | null;
  costs: Record<string, number>;
  chance: number;
}

export interface TurnResult {
  action: string;
  success: boolean;
  score: number | null;
  /** The `score` stream's draw, when the score rolled one (no performance reported). */
  roll: number | null;
  costs: Record<string, number>;
  /** Change of each pool over the whole turn (costs, effects, ticks). */
  deltas: Record<string, number>;
  buffsGained: string[];
  buffsLost: string[];
  conditionBefore: string | null;
  conditionAfter: string | null;
  ended: EngineState['ended'];
}

export class RuleError extends Error {
  constructor(
    readonly code: 'ACTION_NOT_FOUND' | 'ACTION_NOT_AVAILABLE' | 'ATTEMPT_ENDED',
    message: string,
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = 'RuleError';
  }
}

const clamp01 = (x: number) => Math.min(1, Math.max(0, x));

/** The evaluation context of a state: the inputs, the state's values and per-call extras. */
export function contextOf(inputs: EngineInputs, state: EngineState, extra?: Record<string, unknown>): Record<string, unknown> {
  const buffs: Record<string, number> = {};
  for (const code in state.buffs) buffs[code] = state.buffs[code]!.stacks;
  const ctx: Record<string, unknown> = {
    stats: inputs.stats,
    params: inputs.params,
    recipe: inputs.recipe,
    crafter: inputs.crafter,
    materials: inputs.materials,
    tool: inputs.tool,
    station: inputs.station,
    trial: inputs.trial,
    pools: state.pools,
    buffs,
    condition: state.condition,
    turn: state.turn,
    attempt: state.attempt,
    performance: null,
    roll: null,
    score: null,
    stacks: 0,
  };
  if (extra) for (const k in extra) ctx[k] = extra[k];
  return ctx;
}

/** The state an attempt starts in; `carry` keeps the session-wide charge counts of earlier attempts. */
export function init(rs: CompiledRuleset, inputs: EngineInputs, attempt = 1, carry?: Pick<EngineState, 'sessionUses'>): EngineState {
  const state: EngineState = {
    attempt,
    turn: 0,
    pools: {},
    bounds: {},
    buffs: {},
    condition: rs.conditions?.initial ?? null,
    attemptUses: {},
    sessionUses: { ...(carry?.sessionUses ?? {}) },
    ended: null,
  };
  // Pools in declaration order: a pool's start may read the ones declared before it (the
  // context's pools are the state's own object, filled as it goes).
  const ctx = contextOf(inputs, state);
  for (const p of rs.pools) {
    const min = p.min ? toNumber(p.min(ctx)) : null;
    const max = p.max ? toNumber(p.max(ctx)) : null;
    state.bounds[p.name] = [min, min !== null && max !== null ? Math.max(min, max) : max];
    state.pools[p.name] = bound(state, p.name, toNumber(p.start(ctx)));
  }
  return state;
}

/**
 * Puts `state` back to `start` (what init() gave for the same inputs and attempt) in place,
 * keeping its objects and its turn context: simulations restart each session from one state
 * without allocating per simulation. The pools object stays the same one (copy it to keep it).
 */
export function restart(state: EngineState, start: EngineState): void {
  state.attempt = start.attempt;
  state.turn = start.turn;
  state.condition = start.condition;
  state.ended = null;
  state.bounds = start.bounds;
  for (const k in start.pools) state.pools[k] = start.pools[k]!;
  if (keysOf(state.buffs).length > 0) {
    state.buffs = {};
    const kept = CONTEXTS.get(state);
    if (kept) kept.ctx.buffs = {};
  }
  for (const k in state.attemptUses) state.attemptUses[k] = 0;
  for (const k in state.sessionUses) state.sessionUses[k] = start.sessionUses[k] ?? 0;
}

/** A pool's value clamped into its bounds, at 6 decimal places (no float noise such as 21.599999999999998). */
function bound(state: EngineState, pool: string, v: number): number {
  const [min, max] = state.bounds[pool] ?? [null, null];
  return round(Math.min(max ?? Number.POSITIVE_INFINITY, Math.max(min ?? Number.NEGATIVE_INFINITY, v)));
}

interface Changes {
  gained: string[];
  /** Buffs gained or refreshed this turn: they neither tick nor count down until the next. */
  applied: string[];
  lost: string[];
}

type Ctx = ReturnType<typeof contextOf> & { buffs: Record<string, number>; stacks: number };

/**
 * Buffs' and the condition's modifiers of a target, applied to a value: v * mul + add, buffs
 * in declaration order, then the condition. `ctx` is the state's context (its `stacks` is set
 * to each buff's while that buff's modifier runs).
 */
function modified(rs: CompiledRuleset, state: EngineState, target: string, value: number, ctx: Ctx): number {
  const list = rs.modifiersByTarget.get(target);
  if (!list) return value;
  let v = value;
  const stacksBefore = ctx.stacks;
  for (const { buff, condition, m } of list) {
    if (buff !== null) {
      const b = state.buffs[buff];
      if (!b) continue;
      ctx.stacks = b.stacks;
    } else if (condition !== state.condition) continue;
    else ctx.stacks = 0;
    if (m.mul) v *= toNumber(m.mul(ctx));
    if (m.add) v += toNumber(m.add(ctx));
  }
  ctx.stacks = stacksBefore;
  return v;
}

function costsOf(rs: CompiledRuleset, state: EngineState, a: CompiledAction, ctx: Ctx, into?: Record<string, number>): Record<string, number> {
  const costs: Record<string, number> = into ?? {};
  for (const [pool, amount, target] of a.costs) costs[pool] = Math.max(0, modified(rs, state, target, toNumber(amount(ctx)), ctx));
  return costs;
}

function chanceOf(rs: CompiledRuleset, state: EngineState, a: CompiledAction, ctx: Ctx): number {
  let c = a.chance ? toNumber(a.chance(ctx)) : 1;
  c = modified(rs, state, 'chance', c, ctx);
  c = modified(rs, state, a.chanceTarget, c, ctx);
  return clamp01(c);
}

/**
 * Why an action cannot be used now (null: it can), its costs and chance. `ctx` is the state's
 * context with the reported performance (checks read nothing else of a turn).
 */
function check(rs: CompiledRuleset, state: EngineState, a: CompiledAction, ctx: Ctx): ActionView {
  const costs = costsOf(rs, state, a, ctx);
  const reason = refusal(state, a, ctx, costs);
  return { code: a.code, usable: reason === null, reason, costs, chance: chanceOf(rs, state, a, ctx) };
}

/**
 * check() for a turn played in place: the costs go into the action's scratch record and the
 * view into one shared record (read before the next turn, never kept), so a simulated turn
 * allocates nothing here.
 */
function checkInPlace(rs: CompiledRuleset, state: EngineState, a: CompiledAction, ctx: Ctx): ActionView {
  const costs = costsOf(rs, state, a, ctx, a.scratchCosts);
  const reason = refusal(state, a, ctx, costs);
  const view = SCRATCH_VIEW;
  view.code = a.code;
  view.usable = reason === null;
  view.reason = reason;
  view.costs = costs;
  view.chance = view.usable ? chanceOf(rs, state, a, ctx) : 0;
  return view;
}

const SCRATCH_VIEW: ActionView = { code: '', usable: false, reason: null, costs: {}, chance: 0 };

/** Why the action cannot be used now (null: it can). */
function refusal(state: EngineState, a: CompiledAction, ctx: Ctx, costs: Record<string, number>): string | null {
  if (state.ended) return 'the attempt has ended';
  if (a.requires && !toBoolean(a.requires(ctx))) return 'its requirement is not met';
  for (const pool in costs) {
    const cost = costs[pool]!;
    if ((state.pools[pool] ?? 0) < cost) return `not enough ${pool} (${round(state.pools[pool] ?? 0)} of ${round(cost)})`;
  }
  const charges = a.def.charges;
  if (charges && charges.per !== 'period') {
    const used = (charges.per === 'attempt' ? state.attemptUses : state.sessionUses)[a.code] ?? 0;
    if (used >= charges.max) return `used ${used} of ${charges.max} times this ${charges.per}`;
  }
  return null;
}

/** Every action of the ruleset now, in declaration order. */
export function available(rs: CompiledRuleset, inputs: EngineInputs, state: EngineState): ActionView[] {
  const ctx = contextOf(inputs, state) as Ctx;
  return rs.actionCodes.map((code) => check(rs, state, rs.actions.get(code)!, ctx));
}

function round(x: number): number {
  return Math.round(x * 1e6) / 1e6;
}

function runEffects(rs: CompiledRuleset, state: EngineState, effects: CompiledEffect[], ctx: Ctx, changes: Changes) {
  for (const e of effects) {
    if (state.ended) return;
    switch (e.op) {
      case 'add': {
        let amount = toNumber(e.amount!(ctx));
        if (amount > 0) amount = modified(rs, state, e.gainTarget!, amount, ctx);
        state.pools[e.pool!] = bound(state, e.pool!, (state.pools[e.pool!] ?? 0) + amount);
        break;
      }
      case 'set':
        state.pools[e.pool!] = bound(state, e.pool!, toNumber(e.amount!(ctx)));
        break;
      case 'buff': {
        const def = rs.buffs.get(e.buff!)!;
        const have = state.buffs[e.buff!];
        const stacks = e.stacks ? Math.max(1, Math.round(toNumber(e.stacks(ctx)))) : 1;
        const turns = e.turns ? Math.max(1, Math.round(toNumber(e.turns(ctx)))) : def.turns;
        state.buffs[e.buff!] = { stacks: Math.min(def.maxStacks, (have?.stacks ?? 0) + stacks), turns };
        if (!have && !changes.gained.includes(e.buff!)) changes.gained.push(e.buff!);
        if (!changes.applied.includes(e.buff!)) changes.applied.push(e.buff!);
        ctx.buffs[e.buff!] = state.buffs[e.buff!]!.stacks;
        break;
      }
      case 'removeBuff':
        if (state.buffs[e.buff!]) {
          delete state.buffs[e.buff!];
          if (!changes.lost.includes(e.buff!)) changes.lost.push(e.buff!);
          delete ctx.buffs[e.buff!];
        }
        break;
      case 'finish':
        state.ended = { how: 'finish' };
        break;
      case 'fail':
        state.ended = { how: 'fail', reason: e.reason ?? 'failed' };
        break;
    }
  }
}

/**
 * Takes one action. Throws RuleError when the action is unknown or cannot be used now (the
 * state is unchanged). `performance` is what the caller reports (0..1, a mini-game result).
 */
export function apply(
  rs: CompiledRuleset,
  inputs: EngineInputs,
  before: EngineState,
  actionCode: string,
  input: { performance?: number | null },
  draw: Draw,
): { state: EngineState; result: TurnResult } {
  const t = playTurn(rs, inputs, before, actionCode, input, draw);
  const { state } = t;
  const deltas: Record<string, number> = {};
  for (const pool in state.pools) {
    const d = round(state.pools[pool]! - (before.pools[pool] ?? 0));
    if (d !== 0) deltas[pool] = d;
  }
  return {
    state,
    result: {
      action: actionCode,
      success: t.success,
      score: t.score,
      roll: t.roll,
      costs: t.costs,
      deltas,
      buffsGained: t.changes.gained.filter((b) => state.buffs[b]),
      buffsLost: t.changes.lost.filter((b) => !state.buffs[b]),
      conditionBefore: t.conditionBefore,
      conditionAfter: state.condition,
      ended: state.ended,
    },
  };
}

/** apply() without the turn's report: the state after the action (what simulations need). */
export function applyState(rs: CompiledRuleset, inputs: EngineInputs, before: EngineState, actionCode: string, input: { performance?: number | null }, draw: Draw): EngineState {
  return playTurn(rs, inputs, before, actionCode, input, draw).state;
}

/**
 * applyState() changing `state` itself (simulations, which keep no earlier state). A refused
 * action throws before anything changed, as apply() does.
 */
export function applyInPlace(rs: CompiledRuleset, inputs: EngineInputs, state: EngineState, actionCode: string, input: { performance?: number | null }, draw: Draw): void {
  playTurn(rs, inputs, state, actionCode, input, draw, true);
}

function playTurn(rs: CompiledRuleset, inputs: EngineInputs, before: EngineState, actionCode: string, input: { performance?: number | null }, draw: Draw, inPlace = false) {
  const a = rs.actions.get(actionCode);
  if (!a) throw new RuleError('ACTION_NOT_FOUND', `"${actionCode}" is not an action of this ruleset`, { action: actionCode, actions: rs.actionCodes });
  if (before.ended) throw new RuleError('ATTEMPT_ENDED', 'the attempt has ended', { ended: before.ended });
  const performance = typeof input.performance === 'number' ? clamp01(input.performance) : null;
  // One context for the whole turn, over a copy of the state (its pools change in place): the
  // check reads it before anything changed, so a refused action leaves `before` as it was (in
  // place: nothing is copied, and a refusal still changes nothing).
  const state = inPlace ? before : cloneState(before);
  const ctx = turnContext(inputs, state, performance, inPlace);
  const view = inPlace ? checkInPlace(rs, state, a, ctx) : check(rs, state, a, ctx);
  if (!view.usable) throw new RuleError('ACTION_NOT_AVAILABLE', `"${actionCode}" cannot be used now: ${view.reason}`, { action: actionCode, reason: view.reason });

  // In place (simulations: nobody reads the turn's report), one scratch record serves every turn.
  const changes: Changes = inPlace ? resetScratch() : { gained: [], applied: [], lost: [] };
  for (const pool in view.costs) state.pools[pool] = bound(state, pool, (state.pools[pool] ?? 0) - view.costs[pool]!);
  // Uses count for charges only: a simulation skips counting an action that has none.
  if (!inPlace || a.def.charges) {
    state.attemptUses[a.code] = (state.attemptUses[a.code] ?? 0) + 1;
    state.sessionUses[a.code] = (state.sessionUses[a.code] ?? 0) + 1;
  }

  const success = view.chance >= 1 ? true : view.chance <= 0 ? false : draw('success') < view.chance;
  const roll = a.score && performance === null ? draw('score') : null;
  ctx.roll = roll;
  const score = a.score ? clamp01(toNumber(a.score(ctx))) : null;
  ctx.score = score;
  runEffects(rs, state, success ? a.onSuccess : a.onFailure, ctx, changes);

  // The buffs the action consumes (in place, from the action's own list: the same buffs, without
  // looking at every active one).
  for (const code of inPlace ? a.consumes : keysOf(state.buffs)) {
    if (state.buffs[code] && rs.buffs.get(code)?.consumedBy.has(a.code) && !changes.applied.includes(code)) {
      delete state.buffs[code];
      delete ctx.buffs[code];
      if (!changes.lost.includes(code)) changes.lost.push(code);
    }
  }
  // Ticks, then the count-down, of the buffs active at the end of the turn (not one gained or refreshed now).
  for (const code of keysOf(state.buffs)) {
    const def = rs.buffs.get(code)!;
    const b = state.buffs[code];
    if (!b) continue;
    if (def.tick.length > 0 && !changes.applied.includes(code)) {
      ctx.stacks = b.stacks;
      runEffects(rs, state, def.tick, ctx, changes);
      ctx.stacks = 0;
    }
    if (b.turns !== null && !changes.applied.includes(code)) {
      b.turns -= 1;
      if (b.turns <= 0) {
        delete state.buffs[code];
        if (!changes.lost.includes(code)) changes.lost.push(code);
        delete ctx.buffs[code];
      }
    }
  }
  state.turn += 1;

  if (!state.ended) {
    // The end checks read the state alone (no turn values).
    ctx.turn = state.turn;
    ctx.performance = null;
    ctx.roll = null;
    ctx.score = null;
    if (rs.end.failure && toBoolean(rs.end.failure(ctx))) state.ended = { how: 'failure' };
    else if (rs.end.success && toBoolean(rs.end.success(ctx))) state.ended = { how: 'success' };
    else if (rs.end.maxTurns !== null && state.turn >= rs.end.maxTurns) state.ended = { how: 'turns' };
  }
  const conditionBefore = state.condition;
  if (!state.ended && rs.conditions) state.condition = nextCondition(rs, state.condition, draw);
  return { state, success, score, roll, costs: view.costs, changes, conditionBefore };
}

/**
 * The context of a turn. Played in place (simulations), a state keeps one context from turn to
 * turn: its pools are the state's own object and its buffs are kept in step by every change, so
 * only the per-turn values are reset instead of building the whole object again.
 */
function turnContext(inputs: EngineInputs, state: EngineState, performance: number | null, inPlace: boolean): Ctx {
  if (!inPlace) return contextOf(inputs, state, { performance }) as Ctx;
  const kept = CONTEXTS.get(state);
  if (!kept || kept.inputs !== inputs || kept.ctx.pools !== state.pools) {
    const ctx = contextOf(inputs, state, { performance }) as Ctx;
    CONTEXTS.set(state, { inputs, ctx });
    return ctx;
  }
  const ctx = kept.ctx;
  ctx.condition = state.condition;
  ctx.turn = state.turn;
  ctx.attempt = state.attempt;
  ctx.performance = performance;
  ctx.roll = null;
  ctx.score = null;
  ctx.stacks = 0;
  return ctx;
}

const CONTEXTS = new WeakMap<EngineState, { inputs: EngineInputs; ctx: Ctx }>();

/** The changes of a turn played in place (a turn never runs inside another, so one serves all). */
const SCRATCH: Changes = { gained: [], applied: [], lost: [] };
function resetScratch(): Changes {
  // Setting a length is slow even when unchanged; most turns gain and lose nothing.
  if (SCRATCH.gained.length !== 0) SCRATCH.gained.length = 0;
  if (SCRATCH.applied.length !== 0) SCRATCH.applied.length = 0;
  if (SCRATCH.lost.length !== 0) SCRATCH.lost.length = 0;
  return SCRATCH;
}

function copy<T>(o: Record<string, T>): Record<string, T> {
  return { ...o };
}

function cloneState(s: EngineState): EngineState {
  const buffs: Record<string, BuffState> = {};
  for (const k in s.buffs) {
    const b = s.buffs[k]!;
    buffs[k] = { stacks: b.stacks, turns: b.turns };
  }
  return {
    attempt: s.attempt,
    turn: s.turn,
    pools: copy(s.pools),
    bounds: s.bounds,
    buffs,
    condition: s.condition,
    attemptUses: copy(s.attemptUses),
    sessionUses: copy(s.sessionUses),
    ended: s.ended,
  };
}

/** The forced successor, else a weighted roll of the `condition` stream. */
function nextCondition(rs: CompiledRuleset, current: string | null, draw: Draw): string {
  const c = rs.conditions!;
  const forced = current ? c.next.get(current) : undefined;
  if (forced) return forced;
  let r = draw('condition') * c.totalWeight;
  for (let i = 0; i < c.codes.length; i++) {
    r -= c.weights[i]!;
    if (r < 0) return c.codes[i]!;
  }
  return c.codes[c.codes.length - 1]!;
}

/** Ends an attempt whose time ran out (end.timeLimitSeconds): as it stands, or as a failure. */
export function timeOut(rs: CompiledRuleset, state: EngineState): EngineState {
  if (state.ended) return state;
  return { ...state, ended: rs.end.onTimeout === 'fail' ? { how: 'fail', reason: 'time ran out' } : { how: 'timeout' } };
}

const NO_KEYS: readonly string[] = Object.freeze([]);

/** The object's keys (a snapshot), without allocating when it has none (most turns have no buff). */
function keysOf(o: Record<string, unknown>): readonly string[] {
  for (const _ in o) return Object.keys(o);
  return NO_KEYS;
}
