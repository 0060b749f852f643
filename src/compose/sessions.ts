import { BackgroundJob } from '../infra/background-job.js';
import { DurableConsumer, type ContractTerminated } from '../infra/nats/durable-consumer.js';
import { mirrorStep, type StepCompleted } from '../services/sessions/milestone-mirror.js';
import { PrismaSessionRepository } from '../infra/repositories/prisma-session-repository.js';
import { RulesSessions } from '../services/sessions/rules-sessions.js';
import { SessionDriver } from '../services/sessions/session-driver.js';
import { SessionPlanner } from '../services/sessions/session-planner.js';
import { SessionRecovery } from '../services/sessions/session-recovery.js';
import { SessionService } from '../services/sessions/session-service.js';
import { TemplateCache } from '../services/sessions/template-cache.js';
import type { Catalog } from './catalog.js';
import type { Wiring } from './infra.js';
import type { Neighbours } from './neighbours.js';

/** Crafting sessions: planner, driver, the ruleset engine's sessions, recovery and the contract consumer. */
export function wireSessions(w: Wiring, n: Neighbours, c: Catalog, sessionSeeds?: () => string) {
  const { config, log, clock, ids, infra } = w;
  const { affix } = n;
  const repo = new PrismaSessionRepository(infra.prisma, { pool: infra.sql, subjectPrefix: config.eventSubjectPrefix });
  const driver = new SessionDriver({
    repo,
    metrics: infra.metrics,
    item: n.item,
    inventory: n.inventory,
    currency: n.currency,
    contract: n.contract,
    affix,
    proficiency: c.proficiencyAccess,
    stations: c.stationAccess,
    compile: (rules) => c.rulesets.compiled({ rulesetId: rules.rulesetId, definition: rules.definition as never }),
    uow: infra.uow,
    outbox: infra.outbox,
    clock,
    ids,
    log,
    settings: {
      stationExclusivity: config.stationExclusivity,
      collaborationBonusMultiplier: config.collaborationBonusMultiplier,
      apprenticeBonusMultiplier: config.apprenticeBonusMultiplier,
      defaultQualityWeights: config.defaultQualityWeights,
    },
  });
  const templates = new TemplateCache(n.item);
  const planner = new SessionPlanner({
    templates,
    recipes: c.recipes,
    proficiency: c.proficiencyAccess,
    stations: c.stationAccess,
    item: n.item,
    inventory: n.inventory,
    currency: n.currency,
    affix,
    isKnown: (entityId, entityType, recipeId) => repo.isKnown(entityId, entityType, recipeId),
    defaultQualityWeights: config.defaultQualityWeights,
  });
  const rules = new RulesSessions({ rulesets: c.rulesets, repo, driver, item: n.item, inventory: n.inventory, clock, ids, log, templates });
  const sessions = new SessionService({
    repo,
    metrics: infra.metrics,
    planner,
    driver,
    rules,
    seeds: sessionSeeds,
    contract: n.contract,
    stations: c.stationAccess,
    uow: infra.uow,
    outbox: infra.outbox,
    locks: infra.locks,
    clock,
    ids,
    log,
    settings: {
      maxActiveSessionsPerEntity: config.maxActiveSessionsPerEntity,
      sessionTimeoutSeconds: config.sessionTimeoutSeconds,
      stationExclusivity: config.stationExclusivity,
      pauseReleasesStation: config.pauseReleasesStation,
      collaborationBonusMultiplier: config.collaborationBonusMultiplier,
      defaultQualityWeights: config.defaultQualityWeights,
    },
  });
  const recovery = new SessionRecovery(
    { repo, driver, clock, log },
    {
      staleAfterMs: config.recoveryStaleSeconds * 1000,
      batchSize: 50,
      maxPaused: { defaultMs: config.maxPausedSeconds * 1000, limitMs: (gameServiceId) => c.settings.maxPausedMs(gameServiceId) },
    },
  );
  const recoveryJob = new BackgroundJob('session-recovery', config.recoveryIntervalMs, () => recovery.runOnce(), log);
  const consumer = new DurableConsumer<ContractTerminated>(
    infra.bus,
    {
      label: 'contract.terminated',
      stream: config.contractStream,
      streamSubjects: n.contractStreamSubjects,
      subject: n.contractTerminatedSubject,
      durableName: `${config.natsStream}-contract-terminated`,
    },
    (messageId, event) => sessions.onContractTerminated(messageId, event.contractId, event.reason ?? null),
    log,
  );
  // Steps are mirrored on their contracts after the advance answered (milestone-mirror.ts).
  const mirror = new DurableConsumer<StepCompleted>(
    infra.bus,
    {
      label: 'session.step-completed (contract milestones)',
      stream: config.natsStream,
      streamSubjects: [`${config.eventSubjectPrefix}.>`],
      subject: `${config.eventSubjectPrefix}.session.step-completed`,
      durableName: `${config.natsStream}-milestone-mirror`,
      // Steps older than the mirror are recorded by their completions.
      from: 'new',
      // Milestones of different sessions are independent (and keyed): keep up with the advances.
      concurrency: 16,
    },
    (_messageId, event) => mirrorStep({ repo, contract: n.contract }, event),
    log,
  );
  return { repo, driver, planner, templates, sessions, recovery, recoveryJob, consumer, mirror };
}

export type Sessions = ReturnType<typeof wireSessions>;
