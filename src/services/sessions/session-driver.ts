import type { ContractClient } from '../../clients/contract-client.js';
import type { CurrencyClient } from '../../clients/currency-client.js';
import type { InventoryClient } from '../../clients/inventory-client.js';
import type { ItemClient } from '../../clients/item-client.js';
import type { AffixClient } from '../../clients/affix-client.js';
import type { CompiledRuleset } from '../../domain/rules/compile.js';
import { expireAttempt, type RulesRecord } from '../../domain/rules/play.js';
import type { Clock, IdGenerator, Logger, Outbox, OutboxEventInput, Tx, UnitOfWork } from '../ports.js';
import { noopSessionMetrics, type ConflictMetrics, type SessionMetrics } from '../metrics.js';
import { checkTransition, type ReservedMaterial, type SessionRecord } from './session-model.js';
import type { SessionRepository } from './session-repository.js';
import type { ProficiencyAccess, StationAccess } from './session-ports.js';
import { RulesEffects } from './rules-effects.js';
import { attemptEndChange } from './rules-transitions.js';
import { SessionCancellation } from './session-cancellation.js';
import { SessionCompletion } from './session-completion.js';
import { SessionEffects } from './session-effects.js';

export interface DriverDeps {
  repo: SessionRepository;
  item: ItemClient;
  inventory: InventoryClient;
  currency: CurrencyClient;
  contract: ContractClient;
  affix: AffixClient | null;
  proficiency: ProficiencyAccess;
  stations: StationAccess;
  uow: UnitOfWork;
  outbox: Outbox;
  clock: Clock;
  ids: IdGenerator;
  log: Logger;
  /** Lifecycle counts and lost version races; no-ops when not given. */
  metrics?: SessionMetrics & ConflictMetrics;
  /** The compiled ruleset of a ruleset session (to end an attempt whose time ran out). */
  compile?: (rules: RulesRecord) => CompiledRuleset;
  settings: {
    stationExclusivity: boolean;
    collaborationBonusMultiplier: number;
    apprenticeBonusMultiplier: number;
    defaultQualityWeights: { materialQuality: number; proficiencyLevel: number; toolQuality: number };
  };
}

const MAX_CAS_ATTEMPTS = 5;

/**
 * Drives sessions through their lifecycle: every transition is a conditional update on the
 * session version (only one driver commits it) checked against ALLOWED_TRANSITIONS, and
 * `drive` brings a session whose effects are unfinished to its next stable state. The jobs
 * are split: SessionEffects (keyed calls to other services), SessionCompletion and
 * SessionCancellation (the two ends); this class holds the loop and the transitions.
 */
export class SessionDriver {
  private readonly effects: SessionEffects;
  private readonly rulesEffects: RulesEffects;
  private readonly completion: SessionCompletion;
  private readonly cancellation: SessionCancellation;

  constructor(private readonly d: DriverDeps) {
    this.effects = new SessionEffects(d);
    this.rulesEffects = new RulesEffects({ item: d.item, inventory: d.inventory });
    const transition = this.transition.bind(this);
    this.completion = new SessionCompletion({ ...d, effects: this.effects, rules: this.rulesEffects, transition });
    this.cancellation = new SessionCancellation({
      ...d,
      effects: this.effects,
      rules: this.rulesEffects,
      transition,
      releaseStation: (tx, s) => this.completion.releaseStation(tx, s),
    });
  }

  /** Start effects (SessionEffects.reserve): contract, escrow, holds, target, materials. */
  reserve(s: SessionRecord): Promise<SessionRecord> {
    return this.effects.reserve(s);
  }

  reserveFixed(s: SessionRecord): Promise<SessionRecord> {
    return this.effects.reserveFixed(s);
  }

  moveMaterials(s: SessionRecord, escrow: string, materials: ReservedMaterial[], generation: number): Promise<ReservedMaterial[]> {
    return this.effects.moveMaterials(s, escrow, materials, generation);
  }

  returnMaterials(s: SessionRecord, materials: ReservedMaterial[], generation: number): Promise<void> {
    return this.effects.returnMaterials(s, materials, generation);
  }

  checkTools(s: SessionRecord, category: string | null): Promise<void> {
    return this.effects.checkTools(s, category);
  }

  releaseStation(tx: Tx, s: SessionRecord): Promise<OutboxEventInput[]> {
    return this.completion.releaseStation(tx, s);
  }

  /**
   * Brings a session whose effects are unfinished to its next stable state. Safe to
   * call any number of times, from any instance, concurrently.
   */
  async drive(sessionId: string): Promise<SessionRecord | null> {
    for (let attempt = 0; attempt < MAX_CAS_ATTEMPTS; attempt++) {
      const s = await this.d.repo.find(sessionId);
      if (!s) return null;
      switch (s.status) {
        case 'starting':
          // Only the recovery pass gets here: the start request died; give everything back.
          await this.transition(s, { status: 'cancelling', failureReason: 'start interrupted' }, []);
          break;
        case 'active':
          if (!s.pendingEffects) return s;
          await this.consumeStepMaterials(s);
          break;
        case 'completing':
          await this.completion.finish(s);
          break;
        case 'cancelling':
          await this.cancellation.finish(s);
          break;
        default:
          return s;
      }
      // Committed or lost the race: either way, look again at what is stored now.
    }
    return this.d.repo.find(sessionId);
  }

  /**
   * Conditional transition in one transaction with its events; false when the version
   * moved. `inTx` adds more writes (experience, station release) to the same transaction.
   * A status change outside ALLOWED_TRANSITIONS throws TransitionRefused before any write.
   */
  async transition(
    s: SessionRecord,
    change: Partial<SessionRecord>,
    events: OutboxEventInput[],
    inTx?: (tx: Tx, next: SessionRecord) => Promise<OutboxEventInput[]>,
  ): Promise<boolean> {
    const now = this.d.clock.now();
    const next: SessionRecord = { ...s, ...change, version: s.version + 1, updatedAt: now };
    checkTransition(s.status, next.status);
    const ok = inTx
      ? await this.d.uow.run(async (tx) => {
          if (!(await this.d.repo.update(tx, next))) return false;
          await this.d.outbox.add(tx, [...events, ...(await inTx(tx, next))]);
          return true;
        })
      : await this.d.repo.commit(next, events);
    if (ok) {
      this.d.outbox.kick();
      this.countTransition(s, next);
    } else {
      this.d.metrics?.versionConflict('session');
    }
    return ok;
  }

  /**
   * An active session past its deadline (server time) ends `failed` with "timed out": its
   * materials go back. False when it is not (or no longer) an expired active session.
   */
  async expire(s: SessionRecord): Promise<boolean> {
    const now = this.d.clock.now();
    if (s.status !== 'active' || s.expiresAt > now) return false;
    if (s.rules && now < new Date(s.rules.sessionExpiresAt)) return this.expireAttempt(s);
    if (!(await this.transition(s, { status: 'cancelling', failureReason: 'timed out' }, []))) return false;
    try {
      await this.drive(s.id);
    } catch (err) {
      this.d.log.warn({ err, sessionId: s.id }, 'timeout refund will be retried');
    }
    return true;
  }

  /**
   * A session paused longer than its game service's limit ends `failed` ("paused too long") with its
   * materials returned. False when it is not (or no longer) such a session.
   */
  async endPaused(sessionId: string, limitMs: (gameServiceId: string) => Promise<number>): Promise<boolean> {
    const s = await this.d.repo.find(sessionId);
    const now = this.d.clock.now();
    if (!s || s.status !== 'paused' || !s.pausedAt || now.getTime() - s.pausedAt.getTime() < (await limitMs(s.gameServiceId))) return false;
    if (!(await this.transition(s, { status: 'cancelling', failureReason: 'paused too long' }, []))) return false;
    await this.drive(s.id).catch((err) => this.d.log.warn({ err, sessionId }, 'refund of a session paused too long will be retried'));
    return true;
  }

  /**
   * A ruleset attempt whose time limit passed (the session itself has time left) ends as the
   * ruleset says: finished as it stands, or failed; then the session goes on as after any ended
   * attempt (completion, a retry, or the end).
   */
  private async expireAttempt(s: SessionRecord): Promise<boolean> {
    const rules = s.rules!;
    if (rules.state.ended || !rules.deadline || !this.d.compile) return false;
    const { rules: next, ended } = expireAttempt(this.d.compile(rules), rules, s.rngSeed);
    if (!(await this.transition(s, attemptEndChange(s, next, ended), []))) return false;
    await this.drive(s.id).catch((err) => this.d.log.warn({ err, sessionId: s.id }, 'ending the timed-out attempt will be retried'));
    return true;
  }

  /** Every status change commits here exactly once (version check), so each session counts once. */
  private countTransition(before: SessionRecord, after: SessionRecord) {
    if (before.status === after.status) return;
    const metrics = this.d.metrics ?? noopSessionMetrics;
    const type = after.recipe.recipeType;
    if (after.status === 'active') metrics.started(type);
    else if (after.status === 'completed') metrics.completed(type);
    else if (after.status === 'failed') metrics.failed(type);
    else if (after.status === 'cancelled') metrics.cancelled(type);
  }

  /** Materials consumed at a completed step leave the escrow for good. */
  private async consumeStepMaterials(s: SessionRecord): Promise<boolean> {
    const lossPending = s.rules?.pendingLoss != null;
    const reservedMaterials = lossPending ? await this.rulesEffects.applyLoss(s) : s.reservedMaterials;
    for (const m of reservedMaterials) {
      if (m.consumed && m.instanceId) await this.effects.destroy(s, m.instanceId);
    }
    if (!lossPending) return this.transition(s, { pendingEffects: false }, []);
    return this.transition(s, { pendingEffects: false, reservedMaterials, rules: { ...s.rules!, pendingLoss: null } }, []);
  }

  /**
   * A start slower than CRAFT_RECOVERY_STALE_SECONDS can lose its session to recovery, which
   * refunds what the escrow held then; the start may move more items in afterwards. When the
   * start sees it lost, it calls this once its own moves are done: the refund is finished and
   * any item that arrived late goes back too. Returns how many stragglers were returned.
   */
  async returnStragglers(sessionId: string): Promise<number> {
    const s = await this.drive(sessionId);
    if (!s || (s.status !== 'failed' && s.status !== 'cancelled') || !s.escrowContainerId) return 0;
    const before = await this.d.inventory.getContainer(s.escrowContainerId, true, s.gameServiceId);
    const returned = before?.contents?.length ?? 0;
    // Its own keys: a late item may be an instance the refund already returned once (a whole
    // stack keeps its id), and a replayed `return:<instance>` would leave it where it is.
    if (returned > 0) await this.effects.emptyEscrow(s, s.escrowContainerId, 'return-late');
    if (returned > 0) this.d.log.warn({ sessionId, returned }, 'returned items a slow start moved after its session was rolled back');
    return returned;
  }
}
