import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildEconomy } from './helpers/economy.js';
import { startCluster, type Cluster } from './helpers/cluster.js';
import { runMix } from './helpers/load.js';

// Every service the sessions call fails now and then: before the effect (nothing happened)
// or after it (the effect committed, the caller saw an error: only keys make a retry safe).
const FAULTS = [
  'inventory.transfer:7',
  'inventory.transfer:11:after',
  'item.createInstance:5:after',
  'item.destroyInstance:9',
  'currency.createHold:6:after',
  'currency.captureHold:5',
  'contract.createInstance:8',
  'contract.completeMilestone:4',
  'affix.apply:3:after',
].join(',');

let c: Cluster;
beforeAll(async () => {
  c = await startCluster(2);
});
afterAll(() => c?.close());

describe('stub services failing one call in N under load', () => {
  it('flakyServices_sessionsRetryOrCompensate_conservationHolds', async () => {
    const eco = await buildEconomy(c.fleet, 8);
    // The faults start after the economy is built: a third instance carries them, the
    // first two keep serving, so failures and recoveries cross processes.
    await c.fleet.add({ CRAFT_STUB_FAULTS: FAULTS });
    const report = await runMix(c.fleet, eco, { clients: 16, turns: 12, seed: 5 });
    await c.ledger.settle(c.fleet, eco.gs);

    // A failed dependency call is an honest 503, never a 500.
    expect(report.unexpected, c.fleet.errorLog()).toEqual([]);
    expect(report.statuses[503] ?? 0).toBeGreaterThan(0);
    const counts = await c.ledger.statusCounts(eco.gs);
    expect(counts.completed ?? 0).toBeGreaterThan(20);
    expect(await c.ledger.audit(eco)).toEqual([]);
  });
});
