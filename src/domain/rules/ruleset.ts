/**
 * A ruleset: how a crafting session plays, as data (docs/rules.md is the reference). A recipe
 * names one; a session snapshots the version it started with. Everything a session does is a
 * fixed vocabulary of typed operations (the effects below), applied by plain code in
 * engine.ts; expressions (restricted JSON Logic, expr.ts) only compute numbers and conditions.
 */
import type { MaterialsDef } from './materials.js';

/** A restricted JSON Logic expression (see expr.ts), or a plain value. */
export type Expr = unknown;

export interface StatDef {
  /** A number the game passes at session start (craftsmanship, control, perception...): `stats.<name>`. */
  name: string;
  min?: number;
  max?: number;
  /** Used when the start does not give it; a stat without a default is required. */
  default?: number;
}

export interface PoolDef {
  /** A named number of the session (progress, quality, integrity, cp...): `pools.<name>`. */
  name: string;
  start: Expr;
  /** Bounds, evaluated at session start; values are clamped into them after every change. */
  min?: Expr;
  max?: Expr;
}

export type Effect =
  /** Adds to a pool; a positive amount is scaled by the `gain.<pool>` modifiers of buffs and the condition. */
  | { op: 'add'; pool: string; amount: Expr }
  | { op: 'set'; pool: string; amount: Expr }
  /** Applies a buff: stacks add up to its maxStacks, turns refresh (default: the buff's turns). */
  | { op: 'buff'; buff: string; stacks?: Expr; turns?: Expr }
  | { op: 'removeBuff'; buff: string }
  /** Ends the attempt now (stabilise / finish): the outcome is decided from the pools as they are. */
  | { op: 'finish' }
  /** Ends the attempt as a failure (an explosion, a broken item). */
  | { op: 'fail'; reason?: string };

export interface Modifier {
  /**
   * What it changes: `gain.<pool>` (positive additions to a pool), `cost.<pool>` (an action's
   * cost in that pool), `chance` (every action's success chance) or `chance.<action>`.
   */
  target: string;
  /** Multiplies (default 1). May read `stacks` (the buff's stacks). */
  mul?: Expr;
  /** Then adds (default 0). */
  add?: Expr;
}

export interface ActionDef {
  code: string;
  name?: string;
  /** Usable only when true. */
  requires?: Expr;
  /** Paid before the roll; the action is unusable while a pool holds less than its cost. */
  costs?: Record<string, Expr>;
  /** Success chance 0..1 (default 1), rolled from the session's `success` stream. */
  chance?: Expr;
  /**
   * A score of the action the effects can read as `score`: e.g. the caller's reported
   * `performance` (a mini-game result) or, when none is given, a `roll` of the `score` stream.
   */
  score?: Expr;
  onSuccess?: Effect[];
  onFailure?: Effect[];
  /** The action takes this much server time: the next action waits for it (timed abilities). */
  durationSeconds?: number;
  /** An item taken from the crafter's inventory at use: one of a template category, or code. */
  consumable?: { category?: string; itemTemplateCode?: string; quantity?: number };
  /** How often it may be used: per attempt, per session, or per entity and period (seconds). */
  charges?: { max: number; per: 'attempt' | 'session' | 'period'; periodSeconds?: number };
}

export interface BuffDef {
  code: string;
  name?: string;
  /** Default 1. */
  maxStacks?: number;
  /** Turns it lasts (refreshed on re-application); absent = until consumed or the attempt ends. */
  turns?: number;
  modifiers?: Modifier[];
  /** Effects applied at the end of every turn while it is active (before its turns count down). */
  tick?: Effect[];
  /** Actions whose use removes it (after the action's effects). */
  consumedBy?: string[];
}

export interface ConditionDef {
  code: string;
  /** Relative chance of becoming the condition after a turn (0 = only when forced). */
  weight: number;
  /** When set, the turn after this condition always has that one. */
  next?: string;
  modifiers?: Modifier[];
}

export interface EndDef {
  /** The attempt ends as a success when true after an action (e.g. progress reached its max). */
  success?: Expr;
  /** The attempt ends as a failure when true (e.g. integrity at 0). Checked before success. */
  failure?: Expr;
  maxTurns?: number;
  /** Server time an attempt may take; then `onTimeout` decides (default: finish as it stands). */
  timeLimitSeconds?: number;
  onTimeout?: 'finish' | 'fail';
}

export interface LossRange {
  /** Share of the materials lost, 0..1, rolled uniformly between min and max (stream `loss`). */
  min: Expr;
  max?: Expr;
}

export interface BandDef {
  /** The band applies from this score up (the highest band whose min the score reaches). */
  min: number;
  name: string;
  success: boolean;
  /** Output quantities are multiplied by it (default 1 on success, 0 on failure). */
  outputMultiplier?: number;
  /** Written on the outputs (`grade`). */
  grade?: string;
  traits?: string[];
  /** On a failed band: the share of the materials lost (the rest goes back, or to the next attempt). */
  loss?: LossRange;
}

export interface OutcomeDef {
  /**
   * `bands`: the score falls into one of `bands`; `allOrNothing`: the attempt succeeded (ended by
   * `end.success`, or `success` when given) or failed (losing `failureLoss`).
   */
  mode: 'bands' | 'allOrNothing';
  /** The outcome's score (progress %, quality...): bands are over it. */
  score: Expr;
  bands?: BandDef[];
  success?: Expr;
  failureLoss?: LossRange;
  /** What ending by `fail` loses (an explosion), when it differs from the band's loss. */
  failLoss?: LossRange;
  /** Quality 0..1 written on the outputs (default: the score as a percentage, score / 100 clamped to 0..1). */
  quality?: Expr;
  /** Names by a value (e.g. a +X bonus): the last whose min the value reaches. */
  grades?: { value: Expr; names: { min: number; name: string }[] };
  /** Quality breakpoints: traits the output gains when the score reaches each (the recipe's traits by name). */
  breakpoints?: { min: number; traits: string[] }[];
  /** Output quantities multiplied by this on success (e.g. recipe size); default 1. */
  outputMultiplier?: Expr;
  /** Numbers written on the outputs on success (e.g. a +X bonus): name -> value. */
  attributes?: Record<string, Expr>;
  /**
   * Modification recipes: on a failed attempt, the target item is destroyed when true (an
   * enchantment that breaks the item); the session then ends, no retry. Reads the score,
   * `outcome.ended` and the materials.
   */
  breaksTarget?: Expr;
  /**
   * On success, the first variant whose `when` holds makes the recipe's output number `output`
   * (default 0) an item of `itemTemplateCode` instead ("fire crystals make a fire sword"; the
   * device an engineer builds decided by the FUNCTION material).
   */
  variants?: { when: Expr; itemTemplateCode: string; output?: number }[];
}

export interface AttemptsDef {
  /** Attempts on one material pool (session/retry starts the next after a failed one). */
  max: number;
  /** A failed attempt's loss, when the outcome does not say (default: the band's). */
  loss?: LossRange;
  /** A chance, on the first attempt only, of extra traits on success. */
  firstTryBonus?: { chance: Expr; traits: string[] };
}

export interface RareEventDef {
  code: string;
  /** Chance on a successful outcome (stream `rare`). */
  chance: Expr;
  traits?: string[];
  grade?: string;
  outputMultiplier?: number;
}

export interface RulesetDefinition {
  code: string;
  name?: string;
  description?: string;
  stats?: StatDef[];
  /** Constants: `params.<name>`. */
  params?: Record<string, number>;
  pools: PoolDef[];
  actions: ActionDef[];
  buffs?: BuffDef[];
  conditions?: { initial: string; states: ConditionDef[] };
  end: EndDef;
  outcome: OutcomeDef;
  attempts?: AttemptsDef;
  /** Trial crafts (nothing escrowed, consumed or created) are allowed when true. */
  trial?: { allowed: Expr; experienceMultiplier?: number };
  /** A condition a session must meet to start (its context: materials, crafter, station, stats, starting pools); false refuses it. */
  start?: { requires: Expr; reason?: string };
  rareEvents?: RareEventDef[];
  /** What the materials give the outputs: rarity, traits by tag counts, inherited traits (materials.ts). */
  materials?: MaterialsDef;
}

/** RNG streams of a session: each kind of roll has its own, so a replay is exact. */
export const STREAMS = ['success', 'score', 'condition', 'loss', 'outcome', 'rare', 'bonus'] as const;
export type Stream = (typeof STREAMS)[number];
