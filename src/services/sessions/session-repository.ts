import type { OutboxEventInput, Tx } from '../ports.js';
import type { SessionRecord, SessionStatus } from './session-model.js';

export interface SessionListFilter {
  entityId: string;
  entityType: string;
  gameServiceId?: string | null;
  /** Only these game services (null = every one): the caller's scope. */
  gameServiceIds?: string[] | null;
  includeFinished: boolean;
  page: number;
  pageSize: number;
}

export interface SessionRepository {
  /** By id; with `gameServiceIds`, only a session of one of them (null = any game service). */
  find(id: string, gameServiceIds?: string[] | null): Promise<SessionRecord | null>;
  findByContract(contractId: string): Promise<SessionRecord | null>;
  list(filter: SessionListFilter): Promise<{ items: SessionRecord[]; totalCount: number }>;
  /**
   * Ids of the entity's sessions in the game service that are active or may become so
   * (starting), read under the entity's guard lock so concurrent starts serialise.
   */
  activeForUpdate(tx: Tx, gameServiceId: string, entityId: string, entityType: string): Promise<string[]>;
  insert(tx: Tx, session: SessionRecord): Promise<void>;
  /**
   * Writes `next` if the stored version is still `next.version - 1` (the caller bumps it);
   * false when someone else changed the session first.
   */
  update(tx: Tx, next: SessionRecord): Promise<boolean>;
  /**
   * `update` and the outbox rows of `events`, alone in one transaction of their own: the
   * common transition (a step, an activation) without Prisma's interactive-transaction cost.
   */
  commit(next: SessionRecord, events: OutboxEventInput[]): Promise<boolean>;
  isKnown(entityId: string, entityType: string, recipeId: string): Promise<boolean>;
  /** Sessions the recovery pass should look at (see SessionRecovery). */
  findExpired(now: Date, limit: number): Promise<string[]>;
  /** Sessions paused longer than their game service's limit (its settings), else `defaultSeconds`, at `now`; longest first. */
  findPausedTooLong(now: Date, defaultSeconds: number, limit: number): Promise<string[]>;
  findStale(statuses: SessionStatus[], olderThan: Date, limit: number): Promise<string[]>;
  findPendingEffects(olderThan: Date, limit: number): Promise<string[]>;
  /** First-craft bookkeeping; true when this was the entity's first completion of the recipe. */
  recordCompletion(tx: Tx, s: { gameServiceId: string; entityId: string; entityType: string; recipeId: string }): Promise<boolean>;
  lastCompletedQuality(entityId: string, entityType: string, gameServiceId: string): Promise<number | null>;
  markInbox(tx: Tx, messageId: string, subject: string): Promise<boolean>;
  /**
   * Uses of period-limited ruleset actions by an entity since a time, per action. With `tx`,
   * the rows (and the gap after them) are locked until it ends, so two sessions of one entity
   * cannot both take the last charge.
   */
  abilityUses(q: AbilityUseQuery, tx?: Tx): Promise<Map<string, number>>;
  recordAbilityUse(tx: Tx, use: { id: string; gameServiceId: string; entityId: string; entityType: string; rulesetCode: string; action: string; sessionId: string; usedAt: Date }): Promise<void>;
}

export interface AbilityUseQuery {
  gameServiceId: string;
  entityId: string;
  entityType: string;
  rulesetCode: string;
  /** Each action with the start of its period. */
  since: { action: string; from: Date }[];
}
