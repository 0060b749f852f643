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

describe('MySQL killed and restarted in the middle of a run', () => {
  it('mysqlDown_requestsAnswer503WithTheErrorBody_thenRecoverWithoutARestart', async () => {
    const eco = await buildEconomy(c.fleet, 8);
    const [solo] = eco.crafters.splice(0, 1); // kept out of the mix for the final craft
    const load = runMix(c.fleet, eco, { clients: 12, turns: 16, seed: 4 });
    await until('some crafts to complete', async () => ((await c.ledger.statusCounts(eco.gs)).completed ?? 0) >= 5, 60_000);
    await c.services.down('mariadb'); // SIGKILL: transactions in flight die with it
    await readinessSettles(c.fleet, 'mysql', 'down');
    for (const instance of c.fleet.instances) {
      const got = await instance.post('/craft/recipe/get', { recipeId: eco.recipeIds.forge_iron_sword });
      // The recipe may still come from the Redis cache; a write cannot.
      expect([200, 503]).toContain(got.status);
      const crafter = eco.crafters[0]!;
      const start = await instance.post('/craft/session/start', { recipeId: eco.recipeIds.forge_iron_sword, entityId: crafter.entityId, entityType: 'character', inventoryId: crafter.inventoryId, stationId: eco.stationId });
      expect(start.status).toBe(503);
      expect(start.body).toMatchObject({ code: 'DEPENDENCY_UNAVAILABLE', message: expect.any(String) });
    }
    await new Promise((r) => setTimeout(r, 2000)); // the clients keep hammering meanwhile
    await c.services.up('mariadb');
    await readinessSettles(c.fleet, 'mysql', 'up');
    const report = await load;
    await c.ledger.settle(c.fleet, eco.gs);
    eco.crafters.push(solo!);

    expect(report.unexpected, c.fleet.errorLog()).toEqual([]);
    expect(report.statuses[503]).toBeGreaterThan(0);
    // The same processes serve again: a craft from start to finish.
    const crafter = solo!;
    const start = await c.fleet.post('/craft/session/start', { recipeId: eco.recipeIds.forge_iron_sword, entityId: crafter.entityId, entityType: 'character', inventoryId: crafter.inventoryId, stationId: eco.stationId });
    expect(start).toMatchObject({ status: 200 });
    for (const step of ['heat_metal', 'hammer_blade', 'quench', 'attach_grip']) {
      expect((await c.fleet.post('/craft/session/advance', { sessionId: start.body.sessionId, stepCode: step })).status).toBe(200);
    }
    await c.ledger.settle(c.fleet, eco.gs);
    // No partial writes: whatever the kill interrupted was finished or rolled back.
    expect(await c.ledger.audit(eco)).toEqual([]);
  });
});
