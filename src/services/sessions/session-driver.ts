import { ClientError } from '../../clients/errors.js';
import { CraftError } from '../../domain/errors.js';
import type { ContractClient } from '../../clients/contract-client.js';
import type { CurrencyClient } from '../../clients/currency-client.js';
import type { InventoryClient } from '../../clients/inventory-client.js';
import type { ItemClient } from '../../clients/item-client.js';
import type { AffixClient } from '../../clients/affix-client.js';
import { rngFor } from '../../domain/rng.js';
import type { CompiledRuleset } from '../../domain/rules/compile.js';
import { expireAttempt, type RulesRecord } from '../../domain/rules/play.js';
import { resolveOutcome } from '../../domain/session/outcome.js';
import { executeModification } from '../modification/modification-executor.js';
import { q4 } from '../../domain/session/quantity.js';
import type { Clock, IdGenerator, Logger, Outbox, OutboxEventInput, Tx, UnitOfWork } from '../ports.js';
import { noopSessionMetrics, type ConflictMetrics, type SessionMetrics } from '../metrics.js';
import type { ReservedMaterial, SessionRecord } from './session-model.js';
import { sessionEvents } from './session-events.js';
import type { SessionRepository } from './session-repository.js';
import type { ProficiencyAccess, StationAccess } from './session-ports.js';
import { RulesEffects, rulesOutputs } from './rules-effects.js';
import { attemptEndChange } from './rules-transitions.js';

export const COMPLETE_SESSION_PATH = '/craft/internal/complete-session';
/** The one contract milestone of a ruleset session. */
export const RULES_MILESTONE = 'craft';

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

/** A material move of a start failed; `materials` is the plan with the moves done so far recorded. */
export class MaterialMoveFailed extends Error {
  constructor(
    override readonly cause: unknown,
    readonly materials: ReservedMaterial[],
  ) {
    super(cause instanceof Error ? cause.message : String(cause));
    this.name = 'MaterialMoveFailed';
  }
}

/**
 * Applies a session's external effects (escrow moves, holds, contract, outputs) and
 * the transitions that follow them. Every call to another service carries a key
 * derived from the session (`craft:<session>:<effect>`), so any effect can be applied
 * again after a crash or a concurrent driver without doing it twice; every transition
 * is a conditional update on the session version, so only one driver commits it.
 */
export class SessionDriver {
  private readonly rules: RulesEffects;
  constructor(private readonly d: DriverDeps) {
    this.rules = new RulesEffects({ item: d.item, inventory: d.inventory });
  }

  private key(s: SessionRecord, ...parts: (string | number)[]) {
    return `craft:${s.id}:${parts.join(':')}`;
  }

  /**
   * Start effects: contract first (so a failed start always has one to terminate),
   * then escrow, holds, material moves. Throws on the first failure; the caller then
   * moves the session to `cancelling` and drives the refund.
   */
  async reserve(s: SessionRecord): Promise<SessionRecord> {
    const fixed = await this.reserveFixed(s);
    const reserved = await this.moveMaterials(fixed, fixed.escrowContainerId!, s.reservedMaterials, 1);
    return { ...fixed, reservedMaterials: reserved };
  }

  /**
   * The start effects but the material moves: contract, escrow, holds and the target (first,
   * so that of two sessions racing for one target the loser learns it as TARGET_ITEM_INVALID).
   */
  async reserveFixed(s: SessionRecord): Promise<SessionRecord> {
    const contractId = await this.ensureContract(s);
    const escrow = await this.ensureEscrow(s);
    const currencyHolds = [];
    for (const h of s.currencyHolds) {
      const hold = await this.d.currency.createHold(
        { walletId: h.walletId, gameServiceId: s.gameServiceId, currencyCode: h.currencyCode, amount: h.amount, expiresAt: this.holdExpiry(s) },
        this.key(s, 'hold', h.currencyCode),
      );
      currencyHolds.push({ ...h, holdId: hold.holdId });
    }
    if (s.targetItemId) {
      // The target is locked for the session by moving it into the escrow too.
      await this.d.inventory
        .transfer(
          { instanceId: s.targetItemId, sourceContainerId: s.inventoryId, targetContainerId: escrow, gameServiceId: s.gameServiceId },
          this.key(s, 'reserve', 'target'),
        )
        .catch((err) => {
          if (err instanceof ClientError && (err.kind === 'conflict' || err.kind === 'not_found')) {
            throw new CraftError('TARGET_ITEM_INVALID', 'the target item was taken by another session or action while this one started', {
              targetItemId: s.targetItemId,
            });
          }
          throw err;
        });
    }
    return { ...s, escrowContainerId: escrow, contractId, currencyHolds };
  }

  /**
   * Moves a plan's materials into the escrow (keys per plan generation: a re-plan after a lost
   * race moves other instances under new keys). On the first move that fails, the ones already
   * moved stay recorded in the error (MaterialMoveFailed), so the caller can give them back.
   */
  async moveMaterials(s: SessionRecord, escrow: string, materials: ReservedMaterial[], generation: number): Promise<ReservedMaterial[]> {
    const result = [...materials];
    // In one global order (source instance id), so racing starts never each hold part of what the other needs.
    const order = materials.map((m, i) => ({ m, i })).sort((x, y) => (x.m.sourceInstanceId < y.m.sourceInstanceId ? -1 : x.m.sourceInstanceId > y.m.sourceInstanceId ? 1 : x.i - y.i));
    for (const { m, i } of order) {
      try {
        const to = await this.d.inventory.transfer(
          { instanceId: m.sourceInstanceId, sourceContainerId: s.inventoryId, targetContainerId: escrow, gameServiceId: s.gameServiceId, quantity: m.quantity },
          generation === 1 ? this.key(s, 'reserve', i) : this.key(s, 'reserve', `g${generation}`, i),
        );
        result[i] = { ...m, instanceId: to.instanceId };
      } catch (err) {
        throw new MaterialMoveFailed(err, result);
      }
    }
    return result;
  }

  /**
   * Gives back materials a start moved into the escrow before it lost a race for another one
   * (keys `return:g<generation>:<instance>`, so a crash and a rerun return each once); the escrow
   * stays. The key names the generation: a whole stack keeps its id when it moves, so the same
   * instance may come back in a later generation, and its final return must not replay this one.
   */
  async returnMaterials(s: SessionRecord, materials: ReservedMaterial[], generation: number): Promise<void> {
    for (const m of materials) {
      if (!m.instanceId) continue;
      await this.d.inventory
        .transfer(
          { instanceId: m.instanceId, sourceContainerId: s.escrowContainerId!, targetContainerId: s.inventoryId, gameServiceId: s.gameServiceId, mergeStacks: true },
          this.key(s, 'return', `g${generation}`, m.instanceId),
        )
        .catch((err) => this.alreadyReturned(err));
    }
  }

  /** A tool a step needs must still be in the crafter's inventory when the step completes. */
  async checkTools(s: SessionRecord, category: string | null) {
    if (!category) return;
    const tool = s.tools.find((t) => t.category === category);
    const instance = tool ? await this.d.item.getInstance(tool.instanceId, s.gameServiceId) : null;
    if (!instance || instance.containerId !== s.inventoryId) {
      throw new CraftError('TOOL_NOT_AVAILABLE', `the ${category} chosen at start is no longer in the inventory`, {
        category,
        toolItemId: tool?.instanceId ?? null,
      });
    }
  }

  private holdExpiry(s: SessionRecord) {
    // Outlives the session, so a hold is never gone before completion captures it.
    return new Date(s.expiresAt.getTime() + 3600_000).toISOString();
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
          await this.finishCompletion(s);
          break;
        case 'cancelling':
          await this.finishCancellation(s);
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
   */
  async transition(
    s: SessionRecord,
    change: Partial<SessionRecord>,
    events: OutboxEventInput[],
    inTx?: (tx: Tx, next: SessionRecord) => Promise<OutboxEventInput[]>,
  ): Promise<boolean> {
    const now = this.d.clock.now();
    const next: SessionRecord = { ...s, ...change, version: s.version + 1, updatedAt: now };
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

  private async ensureEscrow(s: SessionRecord): Promise<string> {
    if (s.escrowContainerId) return s.escrowContainerId;
    const c = await this.d.inventory.createContainer(
      { ownerId: s.id, ownerType: 'craft-session', containerType: 'escrow', gameServiceId: s.gameServiceId },
      this.key(s, 'escrow'),
    );
    return c.containerId;
  }

  private async ensureContract(s: SessionRecord): Promise<string> {
    if (s.contractId) return s.contractId;
    const c = await this.d.contract.createInstance(
      {
        gameServiceId: s.gameServiceId,
        parties: [{ entityId: s.entityId, entityType: s.entityType, role: 'crafter' }, ...s.participants],
        // A ruleset session's number of turns is not known in advance: one milestone (ADR 0009).
        milestones: s.rules ? [{ code: RULES_MILESTONE, name: 'Craft' }] : s.recipe.steps.map((st) => ({ code: st.code, name: st.name })),
        onFinalMilestone: { path: COMPLETE_SESSION_PATH, body: { sessionId: s.id } },
      },
      this.key(s, 'contract'),
    );
    return c.contractId;
  }

  /** Materials consumed at a completed step leave the escrow for good. */
  private async consumeStepMaterials(s: SessionRecord): Promise<boolean> {
    const lossPending = s.rules?.pendingLoss != null;
    const reservedMaterials = lossPending ? await this.rules.applyLoss(s) : s.reservedMaterials;
    for (const m of reservedMaterials) {
      if (m.consumed && m.instanceId) await this.destroy(s, m.instanceId);
    }
    if (!lossPending) return this.transition(s, { pendingEffects: false }, []);
    return this.transition(s, { pendingEffects: false, reservedMaterials, rules: { ...s.rules!, pendingLoss: null } }, []);
  }

  private async destroy(s: SessionRecord, instanceId: string) {
    try {
      await this.d.item.destroyInstance({ instanceId, gameServiceId: s.gameServiceId, reason: 'Consumed' }, this.key(s, 'consume', instanceId));
    } catch (err) {
      // Already destroyed under this key earlier is fine; anything else is retried later.
      if (!(err instanceof ClientError && err.kind === 'not_found')) throw err;
    }
  }

  /**
   * Modify the target (modification), consume the escrow, capture the holds, create the
   * outputs, then commit `completed`. Every step is keyed, so a re-run repeats nothing.
   */
  private async finishCompletion(s: SessionRecord): Promise<boolean> {
    const outcome: { finalQuality: number | null; outputs: { itemTemplateCode: string; quantity: number; quality: number | null; metadata?: Record<string, unknown> }[] } =
      s.rules
        ? rulesOutputs(s)
        : resolveOutcome(
            s,
            { defaultWeights: this.d.settings.defaultQualityWeights, collaborationBonusMultiplier: this.d.settings.collaborationBonusMultiplier },
            (stream) => rngFor(s.rngSeed, stream),
          );
    if (s.recipe.recipeType === 'modification' && !(await this.modifyTarget(s, outcome.finalQuality ?? 0))) return false;
    for (const m of s.reservedMaterials) if (m.instanceId) await this.destroy(s, m.instanceId);
    for (const h of s.currencyHolds) {
      if (h.holdId) {
        await this.d.currency.captureHold({ holdId: h.holdId, gameServiceId: s.gameServiceId, captureAmount: h.amount }, this.key(s, 'capture', h.holdId));
      }
    }
    const outputItemIds: string[] = [];
    if (s.targetItemId && s.recipe.recipeType === 'extraction') await this.destroy(s, s.targetItemId);
    if (s.targetItemId && s.recipe.recipeType === 'modification') {
      await this.d.inventory.transfer(
        { instanceId: s.targetItemId, sourceContainerId: s.escrowContainerId!, targetContainerId: s.inventoryId, gameServiceId: s.gameServiceId },
        this.key(s, 'return', s.targetItemId),
      ).catch((err) => this.alreadyReturned(err));
      outputItemIds.push(s.targetItemId);
    }
    for (const [i, o] of outcome.outputs.entries()) {
      const template = await this.d.item.getTemplate({ code: o.itemTemplateCode, gameId: s.gameServiceId });
      if (!template) throw new Error(`output template ${o.itemTemplateCode} disappeared`);
      const created = await this.d.item.createInstance(
        {
          templateId: template.templateId,
          containerId: s.inventoryId,
          realmId: s.gameServiceId,
          quantity: q4(o.quantity),
          instanceMetadata: {
            ...(o.quality !== null && { quality: o.quality }),
            ...o.metadata,
            craftedBy: s.entityId,
            recipeCode: s.recipeCode,
            sessionId: s.id,
          },
          originType: 'Craft',
          originId: s.id,
        },
        this.key(s, 'output', i),
      );
      outputItemIds.push(created.instanceId);
    }
    if (s.rules) await this.rules.returnStrays(s);
    const now = this.d.clock.now();
    const completed: Partial<SessionRecord> = {
      status: 'completed',
      finalQuality: outcome.finalQuality,
      accumulatedQuality: outcome.finalQuality ?? s.accumulatedQuality,
      state: s.rules ? s.state : { ...s.state, quality: outcome.finalQuality! },
      outputItemIds,
      completedAt: now,
      pendingEffects: false,
      reservedMaterials: s.reservedMaterials.map((m) => ({ ...m, consumed: true })),
    };
    return this.transition(s, completed, [], async (tx, next) => [
      sessionEvents.completed(next, this.d.ids.uuid(), now),
      ...(await this.grantExperience(tx, next)),
      ...(await this.releaseStation(tx, next)),
    ]);
  }

  /**
   * Runs the recipe's affix operation on the escrowed target (RNG stream `modification`,
   * keys `craft:<session>:affix:<n>`). When the item no longer qualifies, the session is
   * failed instead and everything escrowed goes back.
   */
  private async modifyTarget(s: SessionRecord, quality: number): Promise<boolean> {
    if (!this.d.affix) throw new CraftError('AFFIX_SERVICE_UNAVAILABLE', 'no affix service is configured');
    const instance = await this.d.item.getInstance(s.targetItemId!, s.gameServiceId);
    const template = instance ? await this.d.item.getTemplate({ templateId: instance.templateId, gameId: s.gameServiceId }) : null;
    const meta = instance?.instanceMetadata ?? {};
    try {
      await executeModification(
        { affix: this.d.affix },
        {
          gameServiceId: s.gameServiceId,
          itemInstanceId: s.targetItemId!,
          itemClass: template?.itemClass ?? template?.category ?? '',
          itemLevel: typeof meta.itemLevel === 'number' ? meta.itemLevel : (template?.itemLevel ?? 0),
          operation: s.recipe.affixOperation!,
          config: s.recipe.affixOperationConfig ?? {},
          quality,
          rng: rngFor(s.rngSeed, 'modification'),
          keyPrefix: this.key(s, 'affix'),
        },
      );
      return true;
    } catch (err) {
      if (!(err instanceof CraftError)) throw err;
      await this.transition(s, { status: 'cancelling', failureReason: `modification failed: ${err.message}`.slice(0, 500) }, []);
      return false;
    }
  }

  /** A transfer retried after it succeeded finds the item already moved: that is done, not an error. */
  private alreadyReturned(err: unknown) {
    if (err instanceof ClientError && err.kind === 'conflict') return;
    throw err;
  }

  private async grantExperience(tx: Tx, s: SessionRecord): Promise<OutboxEventInput[]> {
    // A trial craft is not a craft: no first-craft bonus, a share of the experience as the ruleset says.
    const trial = s.rules?.trial ? (s.rules.definition.trial?.experienceMultiplier ?? 0) : null;
    const first = trial === null && (await this.d.repo.recordCompletion(tx, s));
    const events: OutboxEventInput[] = [];
    const apprentices = trial === null ? s.participants.filter((p) => p.role === 'apprentice') : [];
    for (const grant of s.recipe.experienceGrants ?? []) {
      // Unscaled: grantInTx applies CRAFT_EXPERIENCE_SCALING_FACTOR to crafting grants itself.
      const amount = trial !== null ? grant.baseExperience * trial : grant.baseExperience + (first ? (grant.firstCraftBonus ?? 0) : 0);
      if (amount <= 0) continue;
      const base = { gameServiceId: s.gameServiceId, domain: grant.domain };
      events.push(
        ...(await this.d.proficiency.grantInTx(tx, {
          ...base,
          entityId: s.entityId,
          entityType: s.entityType,
          amount,
          idempotencyKey: this.key(s, 'xp', grant.domain, s.entityId),
        })).events,
      );
      // Apprentices learn by watching: a share of the base experience (no first-craft bonus).
      const share = grant.baseExperience * this.d.settings.apprenticeBonusMultiplier;
      for (const a of share > 0 ? apprentices : []) {
        const idempotencyKey = this.key(s, 'xp', grant.domain, a.entityId);
        events.push(...(await this.d.proficiency.grantInTx(tx, { ...base, entityId: a.entityId, entityType: a.entityType, amount: share, idempotencyKey })).events);
      }
    }
    return events;
  }

  async releaseStation(tx: Tx, s: SessionRecord): Promise<OutboxEventInput[]> {
    if (this.d.settings.stationExclusivity && s.stationId) await this.d.stations.release(tx, s.stationId, s.id);
    return [];
  }

  /** Give back every unconsumed escrowed item, release holds, end the contract, then commit. */
  private async finishCancellation(session: SessionRecord): Promise<boolean> {
    let s = session;
    if (s.rules?.pendingLoss != null) {
      // A failed attempt's loss is destroyed before the rest goes back.
      s = { ...s, reservedMaterials: await this.rules.applyLoss(s), rules: { ...s.rules, pendingLoss: null } };
    }
    const escrow = await this.ensureEscrow(s);
    const landed = await this.emptyEscrow(s, escrow);
    for (const h of s.currencyHolds) {
      const holdId = h.holdId ?? (await this.holdCreatedByStart(s, h));
      if (holdId) await this.d.currency.releaseHold({ holdId, gameServiceId: s.gameServiceId }, this.key(s, 'release', holdId));
    }
    // A contract the contract service refused to create (a permanent refusal) has nothing to end.
    const contractId = await this.ensureContract(s).catch((err) => {
      if (err instanceof ClientError && err.kind === 'invalid') return null;
      throw err;
    });
    if (contractId) {
      await this.d.contract.terminate({ contractId, gameServiceId: s.gameServiceId, reason: s.failureReason ?? 'cancelled' }, this.key(s, 'terminate'));
    }

    const reservedMaterials = s.reservedMaterials.map((m) =>
      !m.consumed && m.instanceId && landed.has(m.instanceId) ? { ...m, returnedTo: landed.get(m.instanceId)! } : m,
    );
    const returned = reservedMaterials
      .filter((m) => !m.consumed && m.instanceId)
      .map((m) => ({ instanceId: m.instanceId!, itemTemplateCode: m.itemTemplateCode, quantity: m.quantity }));
    const now = this.d.clock.now();
    const endStatus = s.failureReason ? 'failed' : 'cancelled';
    return this.transition(
      s,
      { status: endStatus, completedAt: now, pendingEffects: false, escrowContainerId: escrow, contractId, reservedMaterials, rules: s.rules ?? null },
      [],
      async (tx, next) => [
        endStatus === 'failed' ? sessionEvents.failed(next, this.d.ids.uuid(), now) : sessionEvents.cancelled(next, returned, this.d.ids.uuid(), now),
        ...(await this.releaseStation(tx, next)),
      ],
    );
  }

  /**
   * Unconsumed items go back to the inventory, consumed ones are destroyed (keyed per
   * instance). Materials rejoin the stack they were split from (mergeStacks); the target and
   * anything else found in the escrow go back as they are. Returns escrow instance -> the
   * inventory instance it became, for every material returned now or by an earlier run (a
   * keyed transfer replays its answer).
   */
  private async emptyEscrow(s: SessionRecord, escrow: string, keyPart = 'return'): Promise<Map<string, string>> {
    const container = await this.d.inventory.getContainer(escrow, true, s.gameServiceId);
    const consumed = new Set(s.reservedMaterials.filter((m) => m.consumed && m.instanceId).map((m) => m.instanceId));
    const materials = new Set(s.reservedMaterials.filter((m) => !m.consumed && m.instanceId).map((m) => m.instanceId!));
    const present = new Set((container?.contents ?? []).map((i) => i.instanceId));
    const landed = new Map<string, string>();
    for (const id of new Set([...materials, ...present])) {
      if (consumed.has(id)) {
        if (present.has(id)) await this.destroy(s, id);
        continue;
      }
      try {
        const to = await this.d.inventory.transfer(
          { instanceId: id, sourceContainerId: escrow, targetContainerId: s.inventoryId, gameServiceId: s.gameServiceId, mergeStacks: materials.has(id) },
          this.key(s, keyPart, id),
        );
        landed.set(id, to.instanceId);
      } catch (err) {
        // A material no longer in the escrow and never returned under this key was taken by
        // another service (quirk 4: treated as consumed); anything present must move.
        if (present.has(id) || !(err instanceof ClientError && (err.kind === 'conflict' || err.kind === 'not_found'))) throw err;
      }
    }
    return landed;
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
    if (returned > 0) await this.emptyEscrow(s, s.escrowContainerId, 'return-late');
    if (returned > 0) this.d.log.warn({ sessionId, returned }, 'returned items a slow start moved after its session was rolled back');
    return returned;
  }

  /**
   * A start that died may or may not have placed a hold. Asking again with the same key
   * returns it if it exists (and creates it if not, which we release right after): the
   * end state is "no hold" either way.
   */
  private async holdCreatedByStart(s: SessionRecord, h: SessionRecord['currencyHolds'][number]) {
    try {
      const hold = await this.d.currency.createHold(
        { walletId: h.walletId, gameServiceId: s.gameServiceId, currencyCode: h.currencyCode, amount: h.amount, expiresAt: this.holdExpiry(s) },
        this.key(s, 'hold', h.currencyCode),
      );
      return hold.holdId;
    } catch (err) {
      if (err instanceof ClientError && err.kind === 'insufficient_funds') return null;
      throw err;
    }
  }
}
