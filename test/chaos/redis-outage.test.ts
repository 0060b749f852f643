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

const STEPS = ['heat_metal', 'hammer_blade', 'quench', 'attach_grip'];

describe('Redis stopped in the middle of a run', () => {
  it('redisDown_serviceKeepsServingOnMysqlAndVersionChecks_thenRecovers', async () => {
    const eco = await buildEconomy(c.fleet, 8);
    const [solo] = eco.crafters.splice(0, 1); // kept out of the mix for the checks below
    const load = runMix(c.fleet, eco, { clients: 12, turns: 14, seed: 2 });
    await until('some crafts to complete', async () => ((await c.ledger.statusCounts(eco.gs)).completed ?? 0) >= 5, 60_000);

    await c.services.down('redis');
    await readinessSettles(c.fleet, 'redis', 'down');
    const ready = await c.fleet.instances[0]!.get('/readyz');
    expect(ready).toMatchObject({ status: 503, body: { status: 'degraded', checks: { mysql: { status: 'up' }, redis: { status: 'down' } } } });

    // Reads fall back to MySQL: the recipe answers from both instances.
    for (const instance of c.fleet.instances) {
      const got = await instance.post('/craft/recipe/get', { recipeId: eco.recipeIds.forge_iron_sword });
      expect({ status: got.status, code: got.body.recipe?.code }).toEqual({ status: 200, code: 'forge_iron_sword' });
    }
    // Without the Redis lock, the version check still lets one of six racing advances through.
    const start = await c.fleet.post('/craft/session/start', { recipeId: eco.recipeIds.forge_iron_sword, entityId: solo!.entityId, entityType: 'character', inventoryId: solo!.inventoryId, stationId: eco.stationId });
    expect(start.status).toBe(200);
    const racing = await Promise.all(
      Array.from({ length: 6 }, (_, i) => c.fleet.instances[i % 2]!.post('/craft/session/advance', { sessionId: start.body.sessionId, stepCode: 'heat_metal', performance: 0.5 })),
    );
    expect(racing.filter((r) => r.status === 200)).toHaveLength(1);
    expect(racing.every((r) => r.status === 200 || r.status === 409)).toBe(true);
    for (const step of STEPS.slice(1)) expect((await c.fleet.post('/craft/session/advance', { sessionId: start.body.sessionId, stepCode: step })).status).toBe(200);
    const done = await c.fleet.post('/craft/session/get', { sessionId: start.body.sessionId });
    expect(done.body.session.status).toBe('completed');

    await c.services.up('redis');
    await readinessSettles(c.fleet, 'redis', 'up');
    const report = await load;
    eco.crafters.push(solo!);
    await c.ledger.settle(c.fleet, eco.gs);

    expect(report.unexpected, c.fleet.errorLog()).toEqual([]);
    expect((await c.fleet.instances[1]!.get('/readyz')).status).toBe(200);
    expect(await c.ledger.audit(eco)).toEqual([]);
  });
});
