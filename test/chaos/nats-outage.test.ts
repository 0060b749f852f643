import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildEconomy } from './helpers/economy.js';
import { startCluster, type Cluster } from './helpers/cluster.js';
import { readinessSettles } from './helpers/fleet.js';
import { until } from './helpers/infra.js';
import { runMix } from './helpers/load.js';

let c: Cluster;
beforeAll(async () => {
  c = await startCluster(2);
});
afterAll(() => c?.close());

describe('NATS stopped in the middle of a run', () => {
  it('natsDown_stateStillCommitsAndEventsWaitInTheOutbox_thenEachArrivesOnce', async () => {
    const eco = await buildEconomy(c.fleet, 8);
    const load = runMix(c.fleet, eco, { clients: 12, turns: 14, seed: 3 });
    await until('some crafts to complete', async () => ((await c.ledger.statusCounts(eco.gs)).completed ?? 0) >= 5, 60_000);

    await c.services.down('nats');
    await readinessSettles(c.fleet, 'nats', 'down');
    const before = (await c.ledger.statusCounts(eco.gs)).completed ?? 0;
    // Crafting goes on: sessions complete while their events pile up in the outbox.
    await until('crafts to complete without NATS', async () => ((await c.ledger.statusCounts(eco.gs)).completed ?? 0) >= before + 5, 60_000);
    expect(await c.ledger.unpublished()).toBeGreaterThan(0);

    await c.services.up('nats');
    await readinessSettles(c.fleet, 'nats', 'up');
    const report = await load;
    await c.ledger.settle(c.fleet, eco.gs);

    expect(report.unexpected, c.fleet.errorLog()).toEqual([]);
    expect(report.statuses[200]).toBeGreaterThan(100);
    // The audit reads the whole stream: every outbox row once, no duplicates, each session's events once.
    expect(await c.ledger.audit(eco)).toEqual([]);
  });
});
