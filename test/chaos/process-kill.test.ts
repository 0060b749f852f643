import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildEconomy, type Crafter, type Economy } from './helpers/economy.js';
import { startCluster, type Cluster } from './helpers/cluster.js';
import { until } from './helpers/infra.js';

let c: Cluster;
beforeAll(async () => {
  c = await startCluster(1);
});
afterAll(() => c?.close());

const STEPS = ['heat_metal', 'hammer_blade', 'quench', 'attach_grip'];

const startBody = (eco: Economy, cr: Crafter) => ({
  recipeId: eco.recipeIds.forge_iron_sword,
  entityId: cr.entityId,
  entityType: 'character',
  inventoryId: cr.inventoryId,
  stationId: eco.stationId,
});

describe('a service process killed in the middle of completions', () => {
  it('sigkillMidCompletion_afterRestartEverySessionFinishedOrRefundedExactlyOnce', async () => {
    const eco = await buildEconomy(c.fleet, 12);
    // 24 sessions one step from the end, prepared on the surviving instance.
    const ready: string[] = [];
    for (const cr of eco.crafters) {
      for (let n = 0; n < 2; n++) {
        const { sessionId } = await c.fleet.ok('/craft/session/start', startBody(eco, cr));
        for (const stepCode of STEPS.slice(0, 3)) await c.fleet.ok('/craft/session/advance', { sessionId, stepCode });
        ready.push(sessionId);
      }
    }

    // The victim: every 3rd output it creates is committed but reported as failed, so some
    // completions are certainly caught half-done (outputs made, session not yet completed)
    // when the kill lands, besides whatever requests are in flight.
    const victim = await c.fleet.add({ CRAFT_STUB_FAULTS: 'item.createInstance:3:after' });
    const inFlight = [
      ...ready.map((sessionId) => victim.post('/craft/session/advance', { sessionId, stepCode: 'attach_grip' })),
      ...eco.crafters.map((cr) => victim.post('/craft/session/start', startBody(eco, cr))),
    ];
    await until('completions to be under way', async () => {
      const counts = await c.ledger.statusCounts(eco.gs);
      return (counts.completing ?? 0) + (counts.completed ?? 0) >= 6;
    }, 60_000, 20);
    await victim.kill('SIGKILL');
    const answers = await Promise.all(inFlight);
    expect(answers.some((a) => a.status === 0)).toBe(true); // requests really died with the process
    const caught = await c.ledger.statusCounts(eco.gs);

    // Restart (a fresh process, same settings minus the faults); the clients retry what died.
    await c.fleet.add();
    for (const sessionId of ready) {
      const s = await c.fleet.ok('/craft/session/get', { sessionId });
      if (s.session.status === 'active') await c.fleet.ok('/craft/session/advance', { sessionId, stepCode: 'attach_grip' });
    }
    await c.ledger.settle(c.fleet, eco.gs);

    const sessions = new Map((await c.ledger.sessions(eco.gs)).map((s) => [s.id, s.status]));
    expect(ready.map((id) => sessions.get(id))).toEqual(ready.map(() => 'completed'));
    expect(caught.completing ?? 0).toBeGreaterThan(0);
    // Every item, coin and event accounted for: outputs once, inputs consumed once, killed starts refunded.
    expect(await c.ledger.audit(eco)).toEqual([]);
  });
});
