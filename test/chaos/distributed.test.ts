import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrate } from '../../src/infra/db/migrate.js';
import { buildEconomy } from './helpers/economy.js';
import { Fleet } from './helpers/fleet.js';
import { freePort, PrivateServices } from './helpers/infra.js';
import { Ledger } from './helpers/ledger.js';
import { runMix } from './helpers/load.js';
import { StubServerProcess } from './helpers/stub-server.js';
import { TEST_JWT_SECRET } from '../helpers/tokens.js';

// lib-craft as in production: three processes calling their neighbours over HTTP, the
// neighbours (the stub server) in a process of their own, which is slowed past the clients'
// time limit, killed and restarted while the mix runs.
const TIMEOUT_MS = 1000;

let services: PrivateServices;
let fleet: Fleet;
let neighbours: StubServerProcess;
let ledger: Ledger;

beforeAll(async () => {
  services = await PrivateServices.start();
  await migrate(services.urls.databaseUrl);
  // The neighbours' address is known before they start: the instances come up first, then
  // the stub server, told where to call the contracts' completions.
  const port = await freePort();
  fleet = await Fleet.start(services, 3, {
    CRAFT_MAX_ACTIVE_SESSIONS_PER_ENTITY: '3',
    CRAFT_NEIGHBOURS_URL: `http://127.0.0.1:${port}`,
    CRAFT_NEIGHBOUR_JWT_SECRET: TEST_JWT_SECRET,
    CRAFT_NEIGHBOUR_TIMEOUT_MS: String(TIMEOUT_MS),
    CRAFT_NEIGHBOUR_RETRIES: '1',
    CRAFT_NEIGHBOUR_BREAKER_HALF_OPEN_MS: '500',
  });
  neighbours = await StubServerProcess.start(services, fleet.instances.map((i) => i.url), port);
  ledger = new Ledger(services.urls.databaseUrl, services.urls.natsUrl);
});

afterAll(async () => {
  await ledger?.close();
  await fleet?.close();
  await neighbours?.close();
  await services?.close();
});

describe('three instances and their neighbours in separate processes', () => {
  it('neighboursSlowedKilledAndRestarted_duringAMix_ledgerHoldsAndFailuresAre503', async () => {
    const eco = await buildEconomy(fleet, 10);
    const readiness = await fleet.instances[0]!.get('/readyz');
    expect(readiness.body['neighbour:item']).toMatchObject({ status: 'up' });

    let turns = 0;
    let phase = 'calm' as 'calm' | 'slow' | 'dead' | 'back';
    const disrupt = async () => {
      turns++;
      if (phase === 'calm' && turns === 40) {
        phase = 'slow';
        await neighbours.latency(TIMEOUT_MS * 2, Fleet.authorization);
      } else if (phase === 'slow' && turns === 80) {
        phase = 'dead';
        await neighbours.kill();
      } else if (phase === 'dead' && turns === 120) {
        phase = 'back';
        await neighbours.start();
      }
    };
    const report = await runMix(fleet, eco, { clients: 16, turns: 12, seed: 7, between: disrupt });
    // Every disruption landed while clients were still crafting.
    expect(phase).toBe('back');
    await neighbours.latency(0, Fleet.authorization);
    await ledger.settle(fleet, eco.gs, 120_000);

    // The slow phase really outlasted the clients' time limit, and the breakers opened.
    const outcomes = { timeout: 0, breaker_open: 0 };
    for (const instance of fleet.instances) {
      const text = String((await instance.get('/metrics')).body);
      for (const m of text.matchAll(/^craft_neighbour_call_duration_seconds_count\{[^}]*outcome="(timeout|breaker_open)"[^}]*\} (\d+)/gm)) {
        outcomes[m[1] as keyof typeof outcomes] += Number(m[2]);
      }
    }
    expect(outcomes.timeout).toBeGreaterThan(0);
    expect(outcomes.breaker_open).toBeGreaterThan(0);
    // Failures of the neighbours are honest 503s with the error body, never a 500.
    expect(report.unexpected, fleet.errorLog()).toEqual([]);
    expect(report.statuses[503] ?? 0).toBeGreaterThan(0);
    const counts = await ledger.statusCounts(eco.gs);
    expect(counts.completed ?? 0).toBeGreaterThan(10);
    // Nothing duplicated or lost, every event once, sessions caught mid-way finished by recovery.
    expect(await ledger.audit(eco)).toEqual([]);
  });
});
