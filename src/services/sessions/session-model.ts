import type { RulesRecord } from '../../domain/rules/play.js';
import type { SessionRecipe } from '../recipes/recipe-model.js';

/**
 * Internal lifecycle (`paused`: saved for later, its deadline suspended, materials in escrow). `starting` and `cancelling` are transitional: external effects
 * (escrow moves, holds, contract) are being applied, and a recovery pass finishes them
 * if the process dies. Terminal: completed, cancelled, failed.
 */
export type SessionStatus = 'starting' | 'active' | 'paused' | 'completing' | 'completed' | 'cancelling' | 'cancelled' | 'failed';

export const LIVE_STATUSES: SessionStatus[] = ['starting', 'active', 'paused', 'completing', 'cancelling'];
export const TERMINAL_STATUSES: SessionStatus[] = ['completed', 'cancelled', 'failed'];

/**
 * The status changes a session may make. A change that keeps the status records progress (a
 * step, an escrow move, a returned material); anything not listed here is a defect, refused
 * before it is written (see `checkTransition`).
 */
export const ALLOWED_TRANSITIONS: Readonly<Record<SessionStatus, readonly SessionStatus[]>> = {
  starting: ['active', 'cancelling'],
  active: ['paused', 'completing', 'cancelling'],
  paused: ['active', 'cancelling'],
  completing: ['completed', 'cancelling'],
  cancelling: ['cancelled', 'failed'],
  completed: [],
  cancelled: [],
  failed: [],
};

export class TransitionRefused extends Error {
  constructor(
    readonly from: SessionStatus,
    readonly to: SessionStatus,
  ) {
    super(`a session cannot go from ${from} to ${to}`);
    this.name = 'TransitionRefused';
  }
}

/** Throws TransitionRefused unless `from` may become `to` (or stays as it is). */
export function checkTransition(from: SessionStatus, to: SessionStatus): void {
  if (from !== to && !ALLOWED_TRANSITIONS[from].includes(to)) throw new TransitionRefused(from, to);
}

export interface ReservedMaterial {
  inputIndex: number;
  /** The crafter's instance the material was taken from. */
  sourceInstanceId: string;
  /** The instance in the session escrow (null until the move is done). */
  instanceId: string | null;
  templateId: string;
  itemTemplateCode: string;
  quantity: number;
  quality: number | null;
  consumeOnStep: string | null;
  consumed: boolean;
  /** After a cancellation or failure: the inventory instance it went back to (the stack it rejoined). */
  returnedTo?: string | null;
  /** Ruleset sessions: what this entry is when it is not an input (a consumable used by an action, a failed attempt's loss). */
  use?: { kind: 'consumable'; attempt: number; turn: number } | { kind: 'loss'; attempt: number };
}

export interface HeldCurrency {
  walletId: string;
  currencyCode: string;
  amount: number;
  holdId: string | null;
}

export interface ChosenTool {
  category: string;
  instanceId: string;
  quality: number | null;
}

export interface StepResult {
  code: string;
  index: number;
  qualityContribution: number;
  /** Skill-check score s in [0, 1]: the reported performance, or the roll blended with proficiency. */
  score: number | null;
  /** The session-RNG draw r of a skill check scored without a reported performance. */
  roll?: number | null;
  /** What the caller reported. */
  performance: number | null;
  action: string | null;
  completedAt: string;
  completedByEntityId: string | null;
}

export interface Participant {
  entityId: string;
  entityType: string;
  role: string;
}

/** Everything lib-craft stores about a session (one CraftSession row). */
export interface SessionRecord {
  id: string;
  contractId: string | null;
  gameServiceId: string;
  recipeId: string;
  recipeCode: string;
  entityId: string;
  entityType: string;
  inventoryId: string;
  escrowContainerId: string | null;
  status: SessionStatus;
  currentStepIndex: number;
  version: number;
  attempt: number;
  rngSeed: string;
  /** Named numeric state (quality and its parts): room for the rules engine. */
  state: Record<string, number>;
  stepResults: StepResult[];
  participants: Participant[];
  reservedMaterials: ReservedMaterial[];
  currencyHolds: HeldCurrency[];
  tools: ChosenTool[];
  stationId: string | null;
  targetItemId: string | null;
  /** The crafter's signature given at start (written on the outputs); null = none. */
  creatorSignature: string | null;
  accumulatedQuality: number;
  finalQuality: number | null;
  outputItemIds: string[] | null;
  failureReason: string | null;
  pendingEffects: boolean;
  stepReadyAt: Date | null;
  /** When it was paused (status paused); null otherwise. */
  pausedAt: Date | null;
  expiresAt: Date;
  startedAt: Date;
  completedAt: Date | null;
  updatedAt: Date;
  /** The recipe as it was when the session started: later edits do not change a running session. */
  /** The recipe as started (a snapshot, scaled to the session's batch). */
  recipe: SessionRecipe;
  /** Ruleset sessions (the recipe names a ruleset): the rules state; null for step recipes. */
  rules?: RulesRecord | null;
}
