import type { AffixClient } from '../clients/affix-client.js';
import type { AnalyticsClient } from '../clients/analytics-client.js';
import type { ContractClient } from '../clients/contract-client.js';
import type { CurrencyClient } from '../clients/currency-client.js';
import type { GameServiceRegistry } from '../clients/game-service-client.js';
import { createHttpClients, tokenSource } from '../clients/http/index.js';
import type { InventoryClient } from '../clients/inventory-client.js';
import type { ItemClient } from '../clients/item-client.js';
import type { LocationClient } from '../clients/location-client.js';
import type { SeedClient } from '../clients/seed-client.js';
import { createStubServices } from '../clients/stubs/index.js';
import { HARD_NEIGHBOURS } from '../infra/config/neighbours-config.js';
import { createPrisma } from '../infra/db/prisma.js';
import { NeighbourMetrics } from '../infra/metrics/neighbour-metrics.js';
import { COMPLETE_SESSION_PATH } from '../services/sessions/session-effects.js';
import type { Wiring } from './infra.js';

/**
 * The services lib-craft calls (game services, item, inventory, contract, currency, affix,
 * seed, location, analytics): over HTTP where configuration gives an address
 * (CRAFT_<SERVICE>_URL or CRAFT_NEIGHBOURS_URL), else the in-process stubs (standalone mode;
 * configuration refuses a missing hard dependency outside it). The in-process contract stub's
 * prebound completion calls `completeSession`; a contract service over HTTP calls
 * /craft/internal/complete-session instead.
 */
export function wireNeighbours(w: Wiring, completeSession: (sessionId: string) => Promise<void>) {
  const { config, log, infra } = w;
  const { urls } = config.neighbours;
  const contractTerminatedSubject = `${config.contractSubjectPrefix}.terminated`;
  const contractStreamSubjects = [`${config.contractSubjectPrefix}.>`];
  const http = createHttpClients(urls, config.neighbours.calls, tokenSource(config.neighbours.token), new NeighbourMetrics(infra.metrics.registry));
  const remote = http.clients;
  // Session completion grants experience inside its transaction; with the seed source the
  // seed stub then gets its own pool, as a remote seed service would not share ours.
  const seedPrisma =
    config.proficiencySource === 'seed' && !remote.seed && config.standalone
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
  const inProcess = config.standalone;
  const soft = <T>(client: T | undefined, stub: T | null): T | null => client ?? (inProcess ? stub : null);
  const clients = {
    gameServices: (remote.gameService ?? stubs.gameService) as GameServiceRegistry,
    item: (remote.item ?? stubs.item) as ItemClient,
    inventory: (remote.inventory ?? stubs.inventory) as InventoryClient,
    currency: (remote.currency ?? stubs.currency) as CurrencyClient,
    contract: (remote.contract ?? stubs.contract) as ContractClient,
    affix: config.affixService === 'none' ? null : soft<AffixClient>(remote.affix, stubs.affix),
    seed: soft<SeedClient>(remote.seed, stubs.seed),
    // No in-process stand-ins: without an address stations' locations are not checked and no statistics are sent.
    location: (remote.location ?? null) as LocationClient | null,
    analytics: (remote.analytics ?? null) as AnalyticsClient | null,
  };
  if (Object.keys(urls).length > 0) {
    // Origins only: an address may carry credentials.
    const origins = Object.fromEntries(Object.entries(urls).map(([s, u]) => [s, new URL(u).origin]));
    log.info({ neighbours: origins }, 'calling neighbouring services over HTTP');
    if (!config.neighbours.token.token && !config.neighbours.token.jwtSecret) {
      log.warn('neither CRAFT_NEIGHBOUR_TOKEN nor CRAFT_NEIGHBOUR_JWT_SECRET is set: calls to the neighbours carry no token');
    }
  }
  return {
    ...clients,
    stubs,
    seedPrisma,
    contractTerminatedSubject,
    contractStreamSubjects,
    /** Readiness of the hard dependencies called over HTTP (reported by /readyz). */
    readiness: Object.fromEntries(
      HARD_NEIGHBOURS.filter((s) => urls[s]).map((s) => [
        `neighbour:${s}`,
        async () => {
          const breaker = http.breakerState(s);
          try {
            await http.ping(s);
            return { status: 'up', breaker };
          } catch (err) {
            return { status: 'down', breaker, error: (err as Error).message };
          }
        },
      ]),
    ),
    /** Waits for the in-process contract stub's background work, then closes the HTTP pools. */
    close: async () => {
      await stubs.contract.whenIdle();
      await http.close();
    },
  };
}

export type Neighbours = ReturnType<typeof wireNeighbours>;
