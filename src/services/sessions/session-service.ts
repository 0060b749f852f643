import { ClientError } from '../../clients/errors.js';
import type { ContractClient } from '../../clients/contract-client.js';
import { CraftError } from '../../domain/errors.js';
import { roundQuality } from '../../domain/quality/quality.js';
import { specQuality, specSession, specStep } from '../../domain/rules/spec-ruleset.js';
import { sessionQuality, specSetupOf } from '../../domain/session/outcome.js';
import { newSeed, rngFor } from '../../domain/rng.js';
import { checkAdvance, readyAt } from '../../domain/session/steps.js';
import type { Clock, IdGenerator, LockProvider, Logger, UnitOfWork, Outbox } from '../ports.js';
import type { ConflictMetrics } from '../metrics.js';
import type { SessionDriver } from './session-driver.js';
import { MaterialMoveFailed, RULES_MILESTONE } from './session-effects.js';
import { nextDeadline } from '../../domain/rules/play.js';
import type { RulesSessions } from './rules-sessions.js';
import { Scope } from '../scope.js';
import { sessionEvents } from './session-events.js';
import { SessionPause } from './session-pause.js';
import { checkTransition, type SessionRecord, type StepResult } from './session-model.js';
import type { SessionPlanner, StartRequest } from './session-planner.js';
import type { StationAccess } from './session-ports.js';
import type { SessionListFilter, SessionRepository } from './session-repository.js';
import { materialInfo, sessionInfo, stepInfos } from './session-view.js';

export interface SessionServiceDeps {
  repo: SessionRepository;
  planner: SessionPlanner;
  driver: SessionDriver;
  rules: RulesSessions;
  contract: ContractClient;
  stations: StationAccess;
  uow: UnitOfWork;
  outbox: Outbox;
  locks: LockProvider;
  clock: Clock;
  ids: IdGenerator;
  log: Logger;
  /** Session RNG seeds (tests fix them); default: a fresh random seed per session. */
  seeds?: () => string;
  /** Lost version races outside the driver; no-op when not given. */
  metrics?: ConflictMetrics;
  settings: {
    maxActiveSessionsPerEntity: number;
    sessionTimeoutSeconds: number;
    stationExclusivity: boolean;
    collaborationBonusMultiplier: number;
    defaultQualityWeights: { materialQuality: number; proficiencyLevel: number; toolQuality: number };
    /** CRAFT_PAUSE_RELEASES_STATION (default false). */
    pauseReleasesStation?: boolean;
  };
}

export interface AdvanceRequest {
  sessionId: string;
  /** Step recipes: the current step (required). Ruleset sessions: unused. */
  stepCode?: string;
  entityId?: string;
  entityType?: string;
  /** Ruleset sessions: the action (required). Step recipes: a label stored with the result. */
  action?: string;
  performance?: number;
  /** Ruleset actions with a consumable: the item to use. */
  consumableItemId?: string;
  /** Ruleset sessions: the materials' traits the outputs inherit, chosen now. */
  inheritTraits?: string[];
}

/** How many times a start that lost a material race plans again before it gives up. */
const MATERIAL_REPLANS = 6;

const isRace = (err: unknown) => err instanceof ClientError && (err.kind === 'conflict' || err.kind === 'not_found');

/** Turns a failed call to another service into the error a caller can act on. */
function startFailure(err: unknown): CraftError {
  if (err instanceof MaterialMoveFailed) {
    if (isRace(err.cause)) {
      return new CraftError('MATERIALS_INSUFFICIENT', 'the materials were taken by other actions while the session started; nothing was kept');
    }
    return startFailure(err.cause);
  }
  if (err instanceof CraftError) return err;
  if (err instanceof ClientError) {
    if (err.kind === 'insufficient_funds') return new CraftError('INSUFFICIENT_FUNDS', 'not enough currency for the recipe');
    if (err.kind === 'unavailable') {
      return new CraftError('DEPENDENCY_UNAVAILABLE', `${err.service} is unavailable; nothing was kept`, { service: err.service });
    }
    // A permanent refusal: the request cannot succeed as it is; retrying will not help.
    return new CraftError('DEPENDENCY_REFUSED', `the ${err.service} service refused the start: ${err.message}; nothing was kept`, {
      service: err.service,
      reason: err.kind,
    });
  }
  return new CraftError('DEPENDENCY_UNAVAILABLE', 'the session could not start; nothing was kept');
}

export class SessionService {
  private readonly pauses: SessionPause;
  constructor(private readonly d: SessionServiceDeps) {
    this.pauses = new SessionPause({
      driver: d.driver,
      locks: d.locks,
      clock: d.clock,
      stations: d.stations,
      load: (scope, id) => this.load(scope, id),
      refuseExpired: (s, now) => this.refuseExpired(s, now),
      settings: { stationExclusivity: d.settings.stationExclusivity, pauseReleasesStation: d.settings.pauseReleasesStation ?? false },
    });
  }

  async start(scope: Scope, req: StartRequest) {
    const plan = await this.d.planner.plan(scope, req);
    const now = this.d.clock.now();
    const id = this.d.ids.uuid();
    const first = plan.recipe.steps[0]!;
    const deadline = new Date(now.getTime() + this.d.settings.sessionTimeoutSeconds * 1000);
    const rules = await this.d.rules.prepare(plan, req, now, deadline);
    const quality = rules
      ? this.d.rules.quality(rules)
      : this.runningQuality({ state: plan.state, stepResults: [], participants: plan.participants, recipe: plan.recipe });
    let session: SessionRecord = {
      id,
      contractId: null,
      gameServiceId: plan.recipe.gameServiceId,
      recipeId: plan.recipe.recipeId,
      recipeCode: plan.recipe.code,
      entityId: req.entityId,
      entityType: req.entityType,
      inventoryId: req.inventoryId,
      escrowContainerId: null,
      status: 'starting',
      currentStepIndex: 0,
      version: 0,
      attempt: 1,
      rngSeed: (this.d.seeds ?? newSeed)(),
      state: roundState({ ...plan.state, quality }),
      stepResults: [],
      participants: plan.participants,
      reservedMaterials: plan.materials,
      currencyHolds: plan.holds,
      tools: plan.tools,
      stationId: plan.station?.stationId ?? null,
      targetItemId: plan.target?.instanceId ?? null,
      creatorSignature: req.creatorSignature?.trim() || null,
      accumulatedQuality: quality,
      finalQuality: null,
      outputItemIds: null,
      failureReason: null,
      pendingEffects: true,
      stepReadyAt: rules ? null : readyAt(first, now),
      pausedAt: null,
      expiresAt: rules ? nextDeadline(rules) : deadline,
      startedAt: now,
      completedAt: null,
      updatedAt: now,
      recipe: plan.recipe,
      rules,
    };
    await this.d.uow.run(async (tx) => {
      // Per game service: only sessions that are (or may become) active block a start.
      const blocking = await this.d.repo.activeForUpdate(tx, session.gameServiceId, req.entityId, req.entityType);
      const max = this.d.settings.maxActiveSessionsPerEntity;
      if (blocking.length >= max) {
        throw new CraftError('ACTIVE_SESSION_LIMIT_REACHED', `an entity may run at most ${max} session${max === 1 ? '' : 's'} at once`, {
          limit: max,
          activeSessionIds: blocking,
        });
      }
      if (this.d.settings.stationExclusivity && session.stationId) {
        if (!(await this.d.stations.claim(tx, session.stationId, id))) {
          throw new CraftError('STATION_IN_USE', 'the station is running another session', { stationId: session.stationId });
        }
      }
      await this.d.repo.insert(tx, session);
    });

    const progress = { session };
    try {
      session = await this.reserve(req, progress);
    } catch (err) {
      this.d.log.info({ err, sessionId: id }, 'session start failed; returning what was reserved');
      await this.abortStart(progress.session, err);
      throw startFailure(err);
    }
    const activated = { ...session, status: 'active' as const, pendingEffects: false };
    const ok = await this.d.driver.transition(session, activated, [sessionEvents.started(activated, this.d.ids.uuid(), now)]);
    if (!ok) {
      // Only recovery touches a starting session: it judged this start abandoned and rolled it back.
      await this.d.driver.returnStragglers(id).catch((err) => this.d.log.warn({ err, sessionId: id }, 'straggler return deferred'));
      throw new CraftError('SESSION_VERSION_CONFLICT', 'the start took too long and was rolled back; everything reserved was returned');
    }
    const view = stepInfos({ ...activated, version: activated.version + 1 });
    return {
      ...(activated.rules && { rules: await this.d.rules.view(activated) }),
      sessionId: id,
      contractId: session.contractId!,
      firstStepCode: first.code,
      firstStep: view[0]!,
      participants: session.participants,
      reservedMaterials: session.reservedMaterials.map(materialInfo),
      currencyHolds: session.currencyHolds.map((h) => ({ currencyCode: h.currencyCode, amount: h.amount, holdId: h.holdId! })),
      expiresAt: session.expiresAt.toISOString(),
    };
  }

  /**
   * The start's effects. A material another action took first (a lost race) is not the end:
   * what this start moved goes back and the materials are planned again on the inventory as
   * it is now, a few times, before MATERIALS_INSUFFICIENT. `progress.session` always holds
   * what is known to be reserved, for the refund when this throws.
   */
  private async reserve(req: StartRequest, progress: { session: SessionRecord }): Promise<SessionRecord> {
    let session = await this.d.driver.reserveFixed(progress.session);
    progress.session = session;
    for (let generation = 1; ; generation++) {
      try {
        const moved = await this.d.driver.moveMaterials(session, session.escrowContainerId!, session.reservedMaterials, generation);
        return { ...session, reservedMaterials: moved };
      } catch (err) {
        if (!(err instanceof MaterialMoveFailed)) throw err;
        progress.session = { ...session, reservedMaterials: err.materials };
        if (!isRace(err.cause) || generation >= MATERIAL_REPLANS) throw err;
        await this.d.driver.returnMaterials(session, err.materials, generation);
        progress.session = session = { ...session, reservedMaterials: [] };
        const again = await this.replan(req, session, generation);
        const rules = session.rules ? await this.d.rules.replanned(session.rules, { ...again, recipe: session.recipe }) : null;
        const quality = rules ? this.d.rules.quality(rules) : this.runningQuality({ ...session, state: again.state });
        session = { ...session, reservedMaterials: again.materials, state: roundState({ ...again.state, quality }), accumulatedQuality: quality, rules };
        progress.session = session;
      }
    }
  }

  /**
   * The materials again, after a short random wait. A shortage seen now may be another losing
   * start's items on their way back: it is only final on the last try.
   */
  private async replan(req: StartRequest, s: SessionRecord, generation: number) {
    for (let attempt = generation; ; attempt++) {
      await sleep(5 + Math.random() * 20 * attempt);
      try {
        return await this.d.planner.replanMaterials(s.recipe, req, {
          targetItemId: s.targetItemId,
          toolIds: s.tools.map((t) => t.instanceId),
          state: s.state,
        });
      } catch (err) {
        if (!(err instanceof CraftError && err.code === 'MATERIALS_INSUFFICIENT') || attempt >= MATERIAL_REPLANS) throw err;
      }
    }
  }

  private async abortStart(s: SessionRecord, cause: unknown) {
    const reason = `start failed: ${cause instanceof Error ? cause.message : String(cause)}`.slice(0, 500);
    const stored = (await this.d.repo.find(s.id))!;
    // Keep what reserve() learned (escrow id, holds, moved instances) so the refund is exact.
    // Only a start still `starting` is ours to roll back: recovery may have ended it already.
    const merged = { ...stored, ...s, version: stored.version, status: 'starting' as const };
    if (stored.status === 'starting' && (await this.d.driver.transition(merged, { status: 'cancelling', failureReason: reason }, []))) {
      await this.d.driver.drive(s.id).catch((err) => this.d.log.warn({ err, sessionId: s.id }, 'refund deferred to recovery'));
    } else {
      await this.d.driver.returnStragglers(s.id).catch((err) => this.d.log.warn({ err, sessionId: s.id }, 'straggler return deferred'));
    }
  }

  /** A step session's default ruleset, in the state its completed steps left. */
  private stepRules(s: SessionRecord) {
    return specSession(specSetupOf(s, this.outcomeSettings()), { stepsDone: s.currentStepIndex, bonusTotal: s.state.stepBonusTotal ?? 0, attempt: s.attempt });
  }

  private outcomeSettings() {
    return { defaultWeights: this.d.settings.defaultQualityWeights, collaborationBonusMultiplier: this.d.settings.collaborationBonusMultiplier };
  }

  /** Quality the session would finish with now: the formula with its steps so far and its collaborators. */
  private runningQuality(s: Pick<SessionRecord, 'state' | 'stepResults' | 'participants'> & { recipe: SessionRecord['recipe'] }): number {
    return roundQuality(
      sessionQuality(s, this.outcomeSettings()),
    );
  }

  async advance(scope: Scope, req: AdvanceRequest) {
    const lock = await this.d.locks.acquire(`session:${req.sessionId}`);
    if (!lock) throw new CraftError('SESSION_LOCKED', 'another request is advancing this session; retry');
    let s: SessionRecord;
    let done: { stepped: SessionRecord; result: StepResult | null; turn: Awaited<ReturnType<RulesSessions['act']>>['played'] | null };
    try {
      s = await this.load(scope, req.sessionId);
      if (s.status !== 'active') throw new CraftError('SESSION_NOT_ACTIVE', `the session is ${s.status}`, { status: s.status });
      const now = this.d.clock.now();
      s = await this.refuseExpired(s, now);
      if (s.rules) {
        checkEligible(s, s.recipe.steps[0]?.eligibleRoles ?? null, req);
        for (const step of s.recipe.steps) await this.d.driver.checkTools(s, step.toolCategory ?? null);
        const acted = await this.d.rules.act(s, req, now);
        done = { stepped: acted.session, result: null, turn: acted.played };
      } else {
        if (req.inheritTraits) throw new CraftError('VALIDATION_FAILED', 'inheritTraits is for sessions that play by a ruleset; this recipe has steps', { recipeId: s.recipeId });
        done = { ...(await this.advanceStep(s, req, now)), turn: null };
      }
    } finally {
      await lock.release();
    }
    const { stepped, result, turn } = done;
    if (result) await this.completeMilestones(s, result);
    else await this.afterTurn(stepped);
    // A middle step's answer is what this request committed (consumption changes none of
    // it); after the last one, completion may have run: read what it left.
    const settled = stepped.status !== 'active' || (stepped.rules && stepped.pendingEffects);
    const after = settled ? await this.load(Scope.all, req.sessionId) : stepped;
    const nextStep = stepInfos(after)[after.currentStepIndex] ?? null;
    const active = after.status === 'active';
    return {
      sessionId: after.id,
      stepCode: result?.code ?? turn!.turn.action,
      qualityContribution: result?.qualityContribution ?? 0,
      performance: result ? result.score : turn!.turn.result.score,
      roll: (result ? result.roll : turn!.turn.result.roll) ?? null,
      accumulatedQuality: after.accumulatedQuality,
      nextStepCode: active && !(after.rules?.state.ended) ? (nextStep?.code ?? null) : null,
      nextStep: active && !(after.rules?.state.ended) ? nextStep : null,
      status: after.status,
      finalQuality: after.finalQuality,
      outputItemIds: after.outputItemIds,
      ...(turn && { turn: turnView(turn) }),
      ...(after.rules && { rules: await this.d.rules.view(after) }),
    };
  }

  /** The step model: the current step, checked and scored, committed with its event. */
  private async advanceStep(s: SessionRecord, req: AdvanceRequest, now: Date): Promise<{ stepped: SessionRecord; result: StepResult }> {
    if (!req.stepCode) throw new CraftError('VALIDATION_FAILED', 'give stepCode, the code of the step being completed', { currentStepIndex: s.currentStepIndex });
    const rejection = checkAdvance(s.recipe.steps, s.currentStepIndex, req.stepCode, s.stepReadyAt, now);
    if (rejection) {
      const { code, message, ...details } = rejection;
      throw new CraftError(code, message, details);
    }
    const index = s.currentStepIndex;
    const step = s.recipe.steps[index]!;
    checkEligible(s, step.eligibleRoles ?? null, req);
    await this.d.driver.checkTools(s, step.toolCategory ?? null);

    // The step played by the default ruleset (src/domain/rules/spec-ruleset.ts): its score and bonus.
    const rules = this.stepRules(s);
    const played = specStep(rules.rs, rules.inputs, rules.state, index, req.performance, () => rngFor(s.rngSeed, `step:${index}:${s.attempt}`)());
    const { score, roll, contribution } = played;
    const result: StepResult = {
      code: step.code,
      index,
      qualityContribution: contribution,
      score: score === null ? null : roundQuality(score),
      roll: roll === null ? null : roundQuality(roll),
      performance: req.performance ?? null,
      action: req.action ?? null,
      completedAt: now.toISOString(),
      completedByEntityId: req.entityId ?? s.entityId,
    };
    const last = index === s.recipe.steps.length - 1;
    const next = s.recipe.steps[index + 1];
    const bonusTotal = played.state.pools.bonus!;
    const stepResults = [...s.stepResults, result];
    const quality = specQuality(rules.rs, rules.inputs, played.state);
    const consumesNow = s.reservedMaterials.some((m) => m.consumeOnStep === step.code);
    const change: Partial<SessionRecord> = {
      stepResults,
      currentStepIndex: index + 1,
      state: { ...s.state, stepBonusTotal: bonusTotal, quality },
      accumulatedQuality: quality,
      reservedMaterials: s.reservedMaterials.map((m) => (m.consumeOnStep === step.code ? { ...m, consumed: true } : m)),
      pendingEffects: consumesNow,
      stepReadyAt: next ? readyAt(next, now) : null,
      ...(last && { status: 'completing' as const }),
    };
    if (!(await this.d.driver.transition(s, change, [sessionEvents.stepCompleted(s, result, this.d.ids.uuid(), now)]))) {
      throw new CraftError('SESSION_VERSION_CONFLICT', 'the session changed concurrently; reload it');
    }
    const stepped = { ...s, ...change, version: s.version + 1 };
    if (consumesNow && !last) await this.d.driver.drive(s.id).catch((err) => this.d.log.warn({ err }, 'consumption deferred'));
    return { stepped, result };
  }

  /**
   * After a ruleset action: consumables and a failed attempt's loss are destroyed, a finished
   * attempt completes the contract's one milestone (and the session), the last failure ends it.
   */
  private async afterTurn(s: SessionRecord) {
    if (s.status === 'completing') {
      await this.d.contract
        .completeMilestone({ contractId: s.contractId!, gameServiceId: s.gameServiceId, milestoneCode: RULES_MILESTONE }, `craft:${s.id}:milestone:${RULES_MILESTONE}`)
        .catch((err) => this.d.log.warn({ err, sessionId: s.id }, 'contract milestone not recorded yet'));
    }
    if (s.status !== 'active' || s.pendingEffects) {
      await this.d.driver.drive(s.id).catch((err) => this.d.log.warn({ err, sessionId: s.id }, 'session effects deferred to recovery'));
    }
  }

  /** Starts the next attempt of a ruleset session whose attempt failed (session/retry). */
  async retry(scope: Scope, sessionId: string) {
    const lock = await this.d.locks.acquire(`session:${sessionId}`);
    if (!lock) throw new CraftError('SESSION_LOCKED', 'another request is changing this session; retry');
    try {
      let s = await this.load(scope, sessionId);
      if (s.status !== 'active') throw new CraftError('SESSION_NOT_ACTIVE', `the session is ${s.status}`, { status: s.status });
      s = await this.refuseExpired(s, this.d.clock.now());
      const next = await this.d.rules.retry(s, this.d.clock.now());
      return { sessionId, status: next.status, rules: await this.d.rules.view(next) };
    } finally {
      await lock.release();
    }
  }

  /**
   * Server time rules: an active session past its deadline takes no more steps and cannot be
   * cancelled; it times out here and now (materials returned) instead of waiting for the sweeper.
   * A ruleset attempt past its own time limit ends as the ruleset says; the session as it is
   * then is returned (the caller goes on with it).
   */
  private async refuseExpired(s: SessionRecord, now: Date): Promise<SessionRecord> {
    if (s.status !== 'active' || s.expiresAt > now) return s;
    if (s.rules && now < new Date(s.rules.sessionExpiresAt)) {
      await this.d.driver.expire(s);
      return this.load(Scope.all, s.id);
    }
    await this.d.driver.expire(s);
    throw new CraftError('SESSION_EXPIRED', `the session passed its deadline (${s.expiresAt.toISOString()}) and timed out; its materials were returned`, {
      expiresAt: s.expiresAt.toISOString(),
    });
  }

  /**
   * After the last step, every milestone on the contract (those the step mirror has not
   * recorded yet replay by key); the final one makes the contract call complete-session, and if
   * that does not happen now the recovery pass completes later. A middle step is mirrored after
   * the answer, from its event (milestone-mirror.ts): the advance itself commits one transaction.
   */
  private async completeMilestones(s: SessionRecord, result: StepResult) {
    const last = result.index === s.recipe.steps.length - 1;
    if (!last) return;
    const codes = s.recipe.steps.map((st) => st.code);
    try {
      for (const code of codes) {
        await this.d.contract.completeMilestone(
          { contractId: s.contractId!, gameServiceId: s.gameServiceId, milestoneCode: code },
          `craft:${s.id}:milestone:${code}`,
        );
      }
    } catch (err) {
      this.d.log.warn({ err, sessionId: s.id }, 'contract milestone not recorded yet');
    }
    const now = await this.d.repo.find(s.id);
    if (now?.status === 'completing') await this.d.driver.drive(s.id).catch((err) => this.d.log.warn({ err }, 'completion deferred to recovery'));
  }

  /** The contract's prebound callback (or an operator) finishes a session whose steps are all done. */
  async complete(scope: Scope, sessionId: string, contractId?: string | null): Promise<{ sessionId: string; status: 'completed' | 'completing'; finalQuality: number | null; outputItemIds: string[] | null }> {
    const s = await this.load(scope, sessionId);
    if (contractId && s.contractId !== contractId) throw new CraftError('CONTRACT_MISMATCH', 'the contract does not back this session');
    const current = await this.refuseExpired(s, this.d.clock.now());
    if (current !== s) return this.complete(scope, sessionId, contractId);
    if (s.status === 'active' || s.status === 'starting') {
      throw new CraftError('STEPS_INCOMPLETE', 'the session still has steps to complete', { currentStepIndex: s.currentStepIndex });
    }
    if (s.status === 'cancelling' || s.status === 'cancelled' || s.status === 'failed') {
      throw new CraftError('SESSION_NOT_ACTIVE', `the session is ${s.status}`, { status: s.status });
    }
    const done = s.status === 'completed' ? s : await this.d.driver.drive(sessionId);
    return {
      sessionId,
      status: (done?.status === 'completed' ? 'completed' : 'completing') as 'completed' | 'completing',
      finalQuality: done?.finalQuality ?? null,
      outputItemIds: done?.outputItemIds ?? null,
    };
  }

  /**
   * Cancels an active session. Cancelling a session already cancelled (or whose cancellation is
   * still returning materials) answers the same result again; completed or failed sessions
   * cannot be cancelled.
   */
  async cancel(scope: Scope, sessionId: string) {
    const lock = await this.d.locks.acquire(`session:${sessionId}`);
    if (!lock) throw new CraftError('SESSION_LOCKED', 'another request is changing this session; retry');
    try {
      const s = await this.load(scope, sessionId);
      const cancelledBefore = s.status === 'cancelled' || (s.status === 'cancelling' && !s.failureReason);
      if (!cancelledBefore) {
        if (s.status !== 'active' && s.status !== 'paused') throw new CraftError('SESSION_NOT_ACTIVE', `the session is ${s.status}`, { status: s.status });
        // A paused session's deadline is suspended: it cannot have expired.
        const current = s.status === 'paused' ? s : await this.refuseExpired(s, this.d.clock.now());
        if (current.status !== 'active' && current.status !== 'paused') throw new CraftError('SESSION_NOT_ACTIVE', `the session is ${current.status}: its attempt's time ran out`, { status: current.status });
        if (!(await this.d.driver.transition(current, { status: 'cancelling', failureReason: null }, []))) {
          throw new CraftError('SESSION_VERSION_CONFLICT', 'the session changed concurrently; reload it');
        }
      }
    } finally {
      await lock.release();
    }
    const done =
      (await this.d.driver.drive(sessionId).catch((err) => {
        this.d.log.warn({ err, sessionId }, 'refund deferred to recovery');
        return null;
      })) ?? (await this.load(Scope.all, sessionId));
    return {
      sessionId,
      // `cancelling` when the refund could not finish now: recovery completes it.
      status: done.status,
      materialsReturned: done.reservedMaterials.filter((m) => !m.consumed && m.instanceId).map(materialInfo),
    };
  }

  /**
   * Ends a live session whatever step it is at (cleanup of a game service, entity or
   * location): unconsumed materials go back, holds are released, the contract ends, the
   * session ends `failed` with the reason. A session already completing is left to finish.
   * Returns the session as it ends up (null when unknown).
   */
  async terminate(sessionId: string, reason: string) {
    for (let attempt = 0; attempt < 5; attempt++) {
      const s = await this.d.repo.find(sessionId);
      if (!s) return null;
      if (s.status === 'active' || s.status === 'starting' || s.status === 'paused') {
        if (!(await this.d.driver.transition(s, { status: 'cancelling', failureReason: reason.slice(0, 500) }, []))) continue;
      }
      return this.d.driver.drive(sessionId);
    }
    return this.d.repo.find(sessionId);
  }

  /** A terminated contract ends its session the way a timeout does (materials returned). */
  async onContractTerminated(messageId: string, contractId: string, reason: string | null) {
    const s = await this.d.repo.findByContract(contractId);
    const recorded = await this.d.uow.run(async (tx) => {
      if (!(await this.d.repo.markInbox(tx, messageId, 'contract.terminated'))) return false;
      if (!s || (s.status !== 'active' && s.status !== 'paused')) return true;
      checkTransition(s.status, 'cancelling');
      const next = { ...s, status: 'cancelling' as const, failureReason: `contract terminated${reason ? `: ${reason}` : ''}`.slice(0, 500), version: s.version + 1, updatedAt: this.d.clock.now() };
      if (!(await this.d.repo.update(tx, next))) {
        this.d.metrics?.versionConflict('session');
        throw new CraftError('SESSION_VERSION_CONFLICT', 'session changed; redeliver');
      }
      return true;
    });
    if (recorded && s) await this.d.driver.drive(s.id);
  }

  /** session/pause: saved for later (SessionPause). */
  async pause(scope: Scope, sessionId: string) {
    return { session: await this.info(await this.pauses.pause(scope, sessionId)) };
  }

  /** session/resume: on where it stopped, every deadline moved on by the paused time (SessionPause). */
  async resume(scope: Scope, sessionId: string) {
    return { session: await this.info(await this.pauses.resume(scope, sessionId)) };
  }

  async get(scope: Scope, sessionId: string) {
    return this.info(await this.load(scope, sessionId));
  }

  private async info(s: SessionRecord) {
    return { ...sessionInfo(s), rules: s.rules ? await this.d.rules.view(s) : null };
  }

  async list(scope: Scope, filter: SessionListFilter) {
    const gameServiceIds = scope.narrow(filter.gameServiceId);
    if (gameServiceIds && gameServiceIds.length === 0) return { items: [], totalCount: 0 };
    const { items, totalCount } = await this.d.repo.list({ ...filter, gameServiceIds });
    return { items: await Promise.all(items.map((s) => this.info(s))), totalCount };
  }

  /** A session of a game service outside the scope is not found, exactly like a missing one. */
  private async load(scope: Scope, sessionId: string) {
    const s = await this.d.repo.find(sessionId, scope.gameServiceIds);
    if (!s) throw new CraftError('SESSION_NOT_FOUND', 'no such session', { sessionId });
    return s;
  }
}

/**
 * Who may advance a step: the primary entity always (any step); a participant (same id and
 * entity type) when the step names its role.
 */
function checkEligible(s: SessionRecord, roles: readonly string[] | null, req: AdvanceRequest) {
  const actorId = req.entityId ?? s.entityId;
  const actorType = req.entityType ?? (actorId === s.entityId ? s.entityType : undefined);
  if (actorId === s.entityId && actorType === s.entityType) return;
  const participant = s.participants.find((p) => p.entityId === actorId && (actorType === undefined || p.entityType === actorType));
  if (participant && roles && roles.includes(participant.role)) return;
  throw new CraftError('ROLE_NOT_ELIGIBLE', 'this entity may not advance this step', { entityId: actorId, entityType: actorType ?? null, eligibleRoles: roles });
}

function turnView(p: Awaited<ReturnType<RulesSessions['act']>>['played']) {
  const r = p.turn.result;
  return {
    action: r.action,
    success: r.success,
    score: r.score,
    roll: r.roll,
    costs: r.costs,
    deltas: r.deltas,
    buffsGained: r.buffsGained,
    buffsLost: r.buffsLost,
    conditionBefore: r.conditionBefore,
    conditionAfter: r.conditionAfter,
    consumedItemId: p.turn.consumedItemId,
    ended: r.ended?.how ?? null,
  };
}

function roundState(state: Record<string, number>): Record<string, number> {
  return Object.fromEntries(Object.entries(state).map(([k, v]) => [k, roundQuality(v)]));
}

function sleep(ms: number) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
