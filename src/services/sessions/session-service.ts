import { ClientError } from '../../clients/errors.js';
import type { ContractClient } from '../../clients/contract-client.js';
import { CraftError } from '../../domain/errors.js';
import { skillScore, stepBonus } from '../../domain/quality/quality.js';
import { newSeed, rngFor } from '../../domain/rng.js';
import { checkAdvance, readyAt, skillCheckCount } from '../../domain/session/steps.js';
import type { Clock, IdGenerator, LockProvider, Logger, UnitOfWork, Outbox } from '../ports.js';
import type { ConflictMetrics } from '../metrics.js';
import type { SessionDriver } from './session-driver.js';
import { sessionEvents } from './session-events.js';
import type { SessionRecord, StepResult } from './session-model.js';
import type { SessionPlanner, StartRequest } from './session-planner.js';
import type { StationAccess } from './session-ports.js';
import type { SessionListFilter, SessionRepository } from './session-repository.js';
import { materialInfo, sessionInfo, stepInfos } from './session-view.js';

export interface SessionServiceDeps {
  repo: SessionRepository;
  planner: SessionPlanner;
  driver: SessionDriver;
  contract: ContractClient;
  stations: StationAccess;
  uow: UnitOfWork;
  outbox: Outbox;
  locks: LockProvider;
  clock: Clock;
  ids: IdGenerator;
  log: Logger;
  /** Lost version races outside the driver; no-op when not given. */
  metrics?: ConflictMetrics;
  settings: { maxActiveSessionsPerEntity: number; sessionTimeoutSeconds: number; stationExclusivity: boolean };
}

export interface AdvanceRequest {
  sessionId: string;
  stepCode: string;
  entityId?: string;
  entityType?: string;
  action?: string;
  performance?: number;
}

/** Turns a failed call to another service into the error a caller can act on. */
function startFailure(err: unknown): CraftError {
  if (err instanceof CraftError) return err;
  if (err instanceof ClientError) {
    if (err.kind === 'insufficient_funds') return new CraftError('INSUFFICIENT_FUNDS', 'not enough currency for the recipe');
    if (err.kind === 'conflict' || err.kind === 'not_found') {
      return new CraftError('MATERIALS_INSUFFICIENT', 'a material was taken by another action while the session started; nothing was kept');
    }
    return new CraftError('DEPENDENCY_UNAVAILABLE', `${err.service} is unavailable; nothing was kept`, { service: err.service });
  }
  return new CraftError('DEPENDENCY_UNAVAILABLE', 'the session could not start; nothing was kept');
}

export class SessionService {
  constructor(private readonly d: SessionServiceDeps) {}

  async start(req: StartRequest) {
    const plan = await this.d.planner.plan(req);
    const now = this.d.clock.now();
    const id = this.d.ids.uuid();
    const first = plan.recipe.steps[0]!;
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
      rngSeed: newSeed(),
      state: plan.state,
      stepResults: [],
      participants: plan.participants,
      reservedMaterials: plan.materials,
      currencyHolds: plan.holds,
      tools: plan.tools,
      stationId: plan.station?.stationId ?? null,
      targetItemId: plan.target?.instanceId ?? null,
      accumulatedQuality: plan.state.quality ?? 0,
      finalQuality: null,
      outputItemIds: null,
      failureReason: null,
      pendingEffects: true,
      stepReadyAt: readyAt(first, now),
      expiresAt: new Date(now.getTime() + this.d.settings.sessionTimeoutSeconds * 1000),
      startedAt: now,
      completedAt: null,
      updatedAt: now,
      recipe: plan.recipe,
    };
    await this.d.uow.run(async (tx) => {
      const live = await this.d.repo.countLiveForUpdate(tx, req.entityId, req.entityType);
      if (live >= this.d.settings.maxActiveSessionsPerEntity) {
        throw new CraftError('ACTIVE_SESSION_LIMIT_REACHED', `an entity may run at most ${this.d.settings.maxActiveSessionsPerEntity} sessions at once`);
      }
      if (this.d.settings.stationExclusivity && session.stationId) {
        if (!(await this.d.stations.claim(tx, session.stationId, id))) {
          throw new CraftError('STATION_IN_USE', 'the station is running another session', { stationId: session.stationId });
        }
      }
      await this.d.repo.insert(tx, session);
    });

    try {
      session = await this.d.driver.reserve(session);
    } catch (err) {
      this.d.log.info({ err, sessionId: id }, 'session start failed; returning what was reserved');
      await this.abortStart(session, err);
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

  private async abortStart(s: SessionRecord, cause: unknown) {
    const reason = `start failed: ${cause instanceof Error ? cause.message : String(cause)}`.slice(0, 500);
    const stored = (await this.d.repo.find(s.id))!;
    // Keep what reserve() learned (escrow id, holds, moved instances) so the refund is exact.
    const merged = { ...stored, ...s, version: stored.version, status: 'starting' as const };
    if (await this.d.driver.transition(merged, { status: 'cancelling', failureReason: reason }, [])) {
      await this.d.driver.drive(s.id).catch((err) => this.d.log.warn({ err, sessionId: s.id }, 'refund deferred to recovery'));
    } else {
      await this.d.driver.returnStragglers(s.id).catch((err) => this.d.log.warn({ err, sessionId: s.id }, 'straggler return deferred'));
    }
  }

  async advance(req: AdvanceRequest) {
    const lock = await this.d.locks.acquire(`session:${req.sessionId}`);
    if (!lock) throw new CraftError('SESSION_LOCKED', 'another request is advancing this session; retry');
    let s: SessionRecord;
    let result: StepResult;
    let stepped: SessionRecord;
    try {
      s = await this.load(req.sessionId);
      if (s.status !== 'active') throw new CraftError('SESSION_NOT_ACTIVE', `the session is ${s.status}`, { status: s.status });
      const now = this.d.clock.now();
      const rejection = checkAdvance(s.recipe.steps, s.currentStepIndex, req.stepCode, s.stepReadyAt, now);
      if (rejection) {
        const { code, message, ...details } = rejection;
        throw new CraftError(code, message, details);
      }
      const index = s.currentStepIndex;
      const step = s.recipe.steps[index]!;
      this.checkEligible(s, step.eligibleRoles ?? null, req);
      await this.d.driver.checkTools(s, step.toolCategory ?? null);

      const score = step.skillCheck
        ? skillScore(req.performance, rngFor(s.rngSeed, `step:${index}:${s.attempt}`)(), s.state.proficiencyFactor ?? 0)
        : null;
      const contribution = score === null ? 0 : stepBonus(score, skillCheckCount(s.recipe.steps));
      result = {
        code: step.code,
        index,
        qualityContribution: contribution,
        score,
        performance: req.performance ?? null,
        action: req.action ?? null,
        completedAt: now.toISOString(),
        completedByEntityId: req.entityId ?? s.entityId,
      };
      const last = index === s.recipe.steps.length - 1;
      const next = s.recipe.steps[index + 1];
      const bonusTotal = (s.state.stepBonusTotal ?? 0) + contribution;
      const quality = Math.min(1, Math.max(0, (s.state.baseQuality ?? 0) + bonusTotal));
      const consumesNow = s.reservedMaterials.some((m) => m.consumeOnStep === step.code);
      const change: Partial<SessionRecord> = {
        stepResults: [...s.stepResults, result],
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
      stepped = { ...s, ...change, version: s.version + 1 };
      if (consumesNow && !last) await this.d.driver.drive(s.id).catch((err) => this.d.log.warn({ err }, 'consumption deferred'));
    } finally {
      await lock.release();
    }
    await this.completeMilestones(s, result);
    // A middle step's answer is what this request committed (consumption changes none of
    // it); after the last one, completion may have run: read what it left.
    const after = stepped.status === 'completing' ? await this.load(req.sessionId) : stepped;
    const nextStep = stepInfos(after)[after.currentStepIndex] ?? null;
    return {
      sessionId: after.id,
      stepCode: result.code,
      qualityContribution: result.qualityContribution,
      accumulatedQuality: after.accumulatedQuality,
      nextStepCode: after.status === 'active' ? (nextStep?.code ?? null) : null,
      nextStep: after.status === 'active' ? nextStep : null,
      status: after.status,
      finalQuality: after.finalQuality,
      outputItemIds: after.outputItemIds,
    };
  }

  /**
   * Mirrors the step on the contract. The final milestone makes the contract call
   * complete-session; if that does not happen now, the recovery pass completes later.
   */
  private async completeMilestones(s: SessionRecord, result: StepResult) {
    const last = result.index === s.recipe.steps.length - 1;
    const codes = last ? s.recipe.steps.map((st) => st.code) : [result.code];
    try {
      for (const code of codes) {
        await this.d.contract.completeMilestone({ contractId: s.contractId!, milestoneCode: code }, `craft:${s.id}:milestone:${code}`);
      }
    } catch (err) {
      this.d.log.warn({ err, sessionId: s.id }, 'contract milestone not recorded yet');
    }
    if (last) {
      const now = await this.d.repo.find(s.id);
      if (now?.status === 'completing') await this.d.driver.drive(s.id).catch((err) => this.d.log.warn({ err }, 'completion deferred to recovery'));
    }
  }

  /** The contract's prebound callback (or an operator) finishes a session whose steps are all done. */
  async complete(sessionId: string, contractId?: string | null) {
    const s = await this.load(sessionId);
    if (contractId && s.contractId !== contractId) throw new CraftError('CONTRACT_MISMATCH', 'the contract does not back this session');
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

  async cancel(sessionId: string) {
    const lock = await this.d.locks.acquire(`session:${sessionId}`);
    if (!lock) throw new CraftError('SESSION_LOCKED', 'another request is changing this session; retry');
    try {
      const s = await this.load(sessionId);
      if (s.status !== 'active') throw new CraftError('SESSION_NOT_ACTIVE', `the session is ${s.status}`, { status: s.status });
      if (!(await this.d.driver.transition(s, { status: 'cancelling', failureReason: null }, []))) {
        throw new CraftError('SESSION_VERSION_CONFLICT', 'the session changed concurrently; reload it');
      }
    } finally {
      await lock.release();
    }
    const done = (await this.d.driver.drive(sessionId).catch((err) => {
      this.d.log.warn({ err, sessionId }, 'refund deferred to recovery');
      return null;
    })) ?? (await this.load(sessionId));
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
      if (s.status === 'active' || s.status === 'starting') {
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
      if (!s || s.status !== 'active') return true;
      const next = { ...s, status: 'cancelling' as const, failureReason: `contract terminated${reason ? `: ${reason}` : ''}`.slice(0, 500), version: s.version + 1, updatedAt: this.d.clock.now() };
      if (!(await this.d.repo.update(tx, next))) {
        this.d.metrics?.versionConflict('session');
        throw new CraftError('SESSION_VERSION_CONFLICT', 'session changed; redeliver');
      }
      return true;
    });
    if (recorded && s) await this.d.driver.drive(s.id);
  }

  async get(sessionId: string) {
    return sessionInfo(await this.load(sessionId));
  }

  async list(filter: SessionListFilter) {
    const { items, totalCount } = await this.d.repo.list(filter);
    return { items: items.map(sessionInfo), totalCount };
  }

  private async load(sessionId: string) {
    const s = await this.d.repo.find(sessionId);
    if (!s) throw new CraftError('SESSION_NOT_FOUND', 'no such session', { sessionId });
    return s;
  }

  private checkEligible(s: SessionRecord, roles: readonly string[] | null, req: AdvanceRequest) {
    const actor = req.entityId ?? s.entityId;
    if (actor === s.entityId && (req.entityType ?? s.entityType) === s.entityType) {
      if (!roles || roles.length === 0 || roles.includes('crafter')) return;
    }
    const participant = s.participants.find((p) => p.entityId === actor);
    if (participant && roles && roles.includes(participant.role)) return;
    throw new CraftError('ROLE_NOT_ELIGIBLE', 'this entity may not advance this step', { entityId: actor, eligibleRoles: roles });
  }
}
