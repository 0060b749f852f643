import { createStubServices } from '../clients/stubs/index.js';
import { createPrisma } from '../infra/db/prisma.js';
import { COMPLETE_SESSION_PATH } from '../services/sessions/session-effects.js';
import type { Wiring } from './infra.js';

/**
 * The services lib-craft calls (item, inventory, currency, contract, affix, seed, game
 * services): the in-process stubs. The contract's prebound completion calls `completeSession`.
 */
export function wireNeighbours(w: Wiring, completeSession: (sessionId: string) => Promise<void>) {
  const { config, log, infra } = w;
  const contractTerminatedSubject = `${config.contractSubjectPrefix}.terminated`;
  const contractStreamSubjects = [`${config.contractSubjectPrefix}.>`];
  // Session completion grants experience inside its transaction; with the seed source the
  // seed stub then gets its own pool, as a remote seed service would not share ours.
  const seedPrisma =
    config.proficiencySource === 'seed'
      ? createPrisma(config.databaseUrl, {
          connectionLimit: Math.max(2, Math.ceil(config.databaseConnectionLimit / 2)),
          acquireTimeoutMs: config.databaseAcquireTimeoutMs,
        })
      : null;
  const stubs = createStubServices({
    prisma: infra.prisma,
    ...(seedPrisma && { seedPrisma }),
    log,
    contract: {
      invokePrebound: async (path, body) => {
        if (path !== COMPLETE_SESSION_PATH) throw new Error(`no prebound handler for ${path}`);
        await completeSession(String(body.sessionId));
      },
      publish: async (subject, data, msgId) => {
        await infra.bus.ensureStream(config.contractStream, contractStreamSubjects);
        await infra.bus.publish(subject, data, msgId);
      },
      terminatedSubject: contractTerminatedSubject,
    },
  });
  for (const rule of config.stubFaults) stubs.faults.arm(rule.op, { every: rule.every, phase: rule.phase });
  if (config.stubFaults.length > 0) log.warn({ stubFaults: config.stubFaults }, 'CRAFT_STUB_FAULTS: the stub services fail on purpose');
  return {
    stubs,
    seedPrisma,
    gameServices: stubs.gameService,
    affix: config.affixService === 'stub' ? stubs.affix : null,
    contractTerminatedSubject,
    contractStreamSubjects,
  };
}

export type Neighbours = ReturnType<typeof wireNeighbours>;
