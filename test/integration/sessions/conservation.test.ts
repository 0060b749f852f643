import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditItems, expectConserved } from '../../helpers/audit.js';
import { startHarness, type Harness } from '../../helpers/harness.js';
import { forgeWorld, ok, startBody, swordMaterials, type World } from '../../helpers/world.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ CRAFT_MAX_ACTIVE_SESSIONS_PER_ENTITY: '10' });
});
afterAll(() => h.close());

const TWO_STEPS = { recipe: { steps: [{ code: 'shape', name: 'Shape' }, { code: 'finish', name: 'Finish' }] } };
const noStation = (w: World, extra: Record<string, unknown> = {}) => startBody(w, { stationId: undefined, ...extra });

async function sessionsOf(w: World) {
  return h.runtime.internals.prisma.craftSession.findMany({ where: { entityId: w.entityId } });
}

describe('conservation under concurrency', () => {
  it('start_50ParallelStartsCompetingFor4SetsOfMaterials_atMost4ReserveAndNothingIsLost', async () => {
    const w = await forgeWorld(h, TWO_STEPS);
    await swordMaterials(w, 4); // 12 ingots, 4 strips, 1 hammer
    const results = await Promise.all(Array.from({ length: 50 }, () => h.post('/craft/session/start', noStation(w))));
    const started = results.filter((r) => r.status === 200);
    expect(started.length).toBeGreaterThanOrEqual(1);
    expect(started.length).toBeLessThanOrEqual(4);
    for (const r of results.filter((r) => r.status !== 200)) {
      expect(r.status, JSON.stringify(r.body)).toBeLessThan(500);
      expect(['MATERIALS_INSUFFICIENT', 'ACTIVE_SESSION_LIMIT_REACHED']).toContain(r.body.code);
    }
    // What is not escrowed by a live session is back in the inventory, to the unit.
    const inventory = await w.contents();
    expect(inventory.iron_ingot ?? 0).toBe(12 - 3 * started.length);
    expect(inventory.leather_strip ?? 0).toBe(4 - started.length);
    expectConserved(await auditItems(h, w.gs), { iron_ingot: 12, leather_strip: 4, hammer: 1 });
    const live = (await sessionsOf(w)).filter((s) => s.status === 'active');
    expect(live).toHaveLength(started.length);
  });

  it('advance_50ParallelAdvancesOfOneStep_exactlyOneStepIsRecorded', async () => {
    const w = await forgeWorld(h, TWO_STEPS);
    await swordMaterials(w);
    const { sessionId } = await ok(h, '/craft/session/start', noStation(w));
    const results = await Promise.all(Array.from({ length: 50 }, () => h.post('/craft/session/advance', { sessionId, stepCode: 'shape' })));
    expect(results.filter((r) => r.status === 200)).toHaveLength(1);
    for (const r of results.filter((r) => r.status !== 200)) {
      expect(r.status).toBe(409);
      expect(['SESSION_LOCKED', 'STEP_ALREADY_COMPLETED', 'SESSION_VERSION_CONFLICT']).toContain(r.body.code);
    }
    const session = (await ok(h, '/craft/session/get', { sessionId })).session;
    expect(session.steps.filter((s: any) => s.isComplete).map((s: any) => s.code)).toEqual(['shape']);
  });

  it('advanceRacingCancel_eachSessionEndsCompletedOrCancelledNeverBoth', async () => {
    const w = await forgeWorld(h, { recipe: { steps: [{ code: 'only', name: 'Only' }] } });
    await swordMaterials(w, 10);
    const ids: string[] = [];
    for (let i = 0; i < 10; i++) ids.push((await ok(h, '/craft/session/start', noStation(w))).sessionId);
    // 60 requests at once: per session three advances and three cancels, in alternating order.
    const results = await Promise.all(
      ids.flatMap((sessionId, i) => {
        const advance = () => h.post('/craft/session/advance', { sessionId, stepCode: 'only' });
        const cancel = () => h.post('/craft/session/cancel', { sessionId });
        return i % 2 === 0
          ? [advance(), cancel(), advance(), cancel(), cancel(), advance()]
          : [cancel(), advance(), cancel(), advance(), advance(), cancel()];
      }),
    );
    expect(results.every((r) => r.status < 500)).toBe(true);
    const sessions = await sessionsOf(w);
    const completed = sessions.filter((s) => s.status === 'completed');
    const cancelled = sessions.filter((s) => s.status === 'cancelled');
    expect(completed.length + cancelled.length).toBe(10);
    const audit = await auditItems(h, w.gs);
    expect(audit.iron_sword?.crafted ?? 0).toBe(completed.length);
    expect(audit.iron_sword?.live ?? 0).toBe(completed.length);
    expect(audit.iron_ingot!.consumed).toBe(3 * completed.length);
    expect((await w.contents()).iron_ingot ?? 0).toBe(30 - 3 * completed.length);
    expectConserved(audit, { iron_ingot: 30, leather_strip: 10, hammer: 1 });
    for (const s of completed) expect(JSON.parse(s.outputItemIds!)).toHaveLength(1);
  });

  it('completeSession_50ConcurrentCallbacks_outputsCreatedOnce', async () => {
    const w = await forgeWorld(h, { recipe: { steps: [{ code: 'only', name: 'Only' }] } });
    await swordMaterials(w);
    const { sessionId, contractId } = await ok(h, '/craft/session/start', noStation(w));
    // The item service fails while the last step completes: the session waits in `completing`.
    h.runtime.internals.faults.arm('item.createInstance', { times: 100, phase: 'before' });
    const last = await ok(h, '/craft/session/advance', { sessionId, stepCode: 'only' });
    h.runtime.internals.faults.disarm();
    expect(last.status).toBe('completing');
    const results = await Promise.all(
      Array.from({ length: 50 }, () => h.post('/craft/internal/complete-session', { sessionId, contractId })),
    );
    expect(results.every((r) => r.status === 200)).toBe(true);
    const ids = new Set(results.map((r) => JSON.stringify(r.body.outputItemIds)));
    expect(ids.size).toBe(1);
    const audit = await auditItems(h, w.gs);
    expect(audit.iron_sword).toMatchObject({ crafted: 1, live: 1 });
    expectConserved(audit, { iron_ingot: 3, leather_strip: 1, hammer: 1 });
  });

  it('consumeOnStep_materialConsumedAtItsStep_andCancelReturnsOnlyTheRest', async () => {
    const w = await forgeWorld(h, {
      recipe: {
        steps: [{ code: 'shape', name: 'Shape' }, { code: 'finish', name: 'Finish' }],
        inputs: [
          { itemTemplateCode: 'iron_ingot', quantity: 3, consumeOnStep: 'shape' },
          { itemTemplateCode: 'leather_strip', quantity: 1 },
        ],
      },
    });
    await swordMaterials(w);
    const { sessionId } = await ok(h, '/craft/session/start', noStation(w));
    await ok(h, '/craft/session/advance', { sessionId, stepCode: 'shape' });
    expect((await auditItems(h, w.gs)).iron_ingot!.consumed).toBe(3);
    const cancelled = await ok(h, '/craft/session/cancel', { sessionId });
    expect(cancelled.status).toBe('cancelled');
    expect(cancelled.materialsReturned.map((m: any) => m.itemTemplateCode)).toEqual(['leather_strip']);
    expect(await w.contents()).toEqual({ leather_strip: 1, hammer: 1 });
    expectConserved(await auditItems(h, w.gs), { iron_ingot: 3, leather_strip: 1, hammer: 1 });
  });
});
