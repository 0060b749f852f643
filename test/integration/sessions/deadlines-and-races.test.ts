import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from '../../helpers/harness.js';
import { auditItems } from '../../helpers/audit.js';
import { expectError, forgeWorld, ok, startBody, swordMaterials, type World } from '../../helpers/world.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ CRAFT_MAX_ACTIVE_SESSIONS_PER_ENTITY: '10' });
});
afterAll(() => h.close());

const TWO_STEPS = { recipe: { steps: [{ code: 'a', name: 'A' }, { code: 'b', name: 'B' }] } };

/** Moves the session's deadline into the past, as if its time had run out (server time). */
async function pastDeadline(sessionId: string) {
  await h.runtime.internals.prisma.$executeRaw`UPDATE CraftSession SET expiresAt = NOW(3) - INTERVAL 1 SECOND WHERE id = ${sessionId}`;
}

async function started(w: World) {
  await swordMaterials(w);
  const before = await w.contents();
  const { sessionId } = await ok(h, '/craft/session/start', startBody(w, { stationId: undefined }));
  return { sessionId, before };
}

describe('server time: a session past its deadline', () => {
  it('advance_afterTheDeadline_refused409_andTheSessionTimesOutNow_materialsBack', async () => {
    const w = await forgeWorld(h, TWO_STEPS);
    const { sessionId, before } = await started(w);
    await ok(h, '/craft/session/advance', { sessionId, stepCode: 'a' });
    await pastDeadline(sessionId);
    const res = await h.post('/craft/session/advance', { sessionId, stepCode: 'b' });
    expectError(res, 409, 'SESSION_EXPIRED');
    const session = (await ok(h, '/craft/session/get', { sessionId })).session;
    expect({ status: session.status, failureReason: session.failureReason, outputs: session.outputItemIds }).toEqual({
      status: 'failed',
      failureReason: 'timed out',
      outputs: null,
    });
    expect(await w.contents()).toEqual(before);
    // Nothing was crafted, nothing consumed.
    const audit = await auditItems(h, w.gs);
    expect(audit.iron_sword?.live ?? 0).toBe(0);
  });

  it('cancel_afterTheDeadline_refused409_theSessionTimedOut', async () => {
    const w = await forgeWorld(h, TWO_STEPS);
    const { sessionId, before } = await started(w);
    await pastDeadline(sessionId);
    expectError(await h.post('/craft/session/cancel', { sessionId }), 409, 'SESSION_EXPIRED');
    expect((await ok(h, '/craft/session/get', { sessionId })).session.status).toBe('failed');
    expect(await w.contents()).toEqual(before);
  });

  it('complete_afterTheDeadlineWithStepsLeft_refused409_theSessionTimedOut', async () => {
    const w = await forgeWorld(h, TWO_STEPS);
    const { sessionId } = await started(w);
    await pastDeadline(sessionId);
    expectError(await h.post('/craft/internal/complete-session', { sessionId }), 409, 'SESSION_EXPIRED');
    expect((await ok(h, '/craft/session/get', { sessionId })).session.status).toBe('failed');
  });

  it('lastStepBeforeTheDeadline_completesEvenWhenCompletionRunsAfterIt', async () => {
    const w = await forgeWorld(h, { recipe: { steps: [{ code: 'a', name: 'A' }] } });
    const { sessionId } = await started(w);
    // The outputs cannot be created during the final advance: the session stays `completing`.
    h.runtime.internals.faults.arm('item.createInstance', { every: 1 });
    const advanced = await ok(h, '/craft/session/advance', { sessionId, stepCode: 'a' }).finally(() => h.runtime.internals.faults.disarm('item.createInstance'));
    expect(advanced.status).toBe('completing');
    await pastDeadline(sessionId);
    const done = await ok(h, '/craft/internal/complete-session', { sessionId });
    expect(done.status).toBe('completed');
  });
});

describe('concurrent starts on too little material', () => {
  it('tenConcurrentStarts_onMaterialForTwo_giveTwoSessions_theRestMaterialsInsufficient', async () => {
    // Each craft needs 2 ingots; 3 stacks of 1.5 hold enough for 2. Every planner first picks the
    // same stacks; the losers must plan again on what is left, not fail.
    for (let round = 0; round < 3; round++) {
      const w = await forgeWorld(h, { recipe: { inputs: [{ itemTemplateCode: 'iron_ingot', quantity: 2 }], steps: [{ code: 'a', name: 'A' }] } });
      for (let i = 0; i < 3; i++) await w.grant('iron_ingot', 1.5, 0.65);
      const results = await Promise.all(Array.from({ length: 10 }, () => h.post('/craft/session/start', startBody(w, { stationId: undefined }))));
      const statuses = results.map((r) => (r.status === 200 ? 'started' : r.body.code)).sort();
      expect(statuses, `round ${round}`).toEqual([...Array(8).fill('MATERIALS_INSUFFICIENT'), 'started', 'started']);
      // What was not reserved is back where it was: 0.5 left in the inventory, 4 in escrows.
      expect(await w.contents()).toEqual({ iron_ingot: 0.5 });
      const audit = await auditItems(h, w.gs);
      expect(audit.iron_ingot).toMatchObject({ live: 4.5, consumed: 0 });
      // The failed starts wrote no active session and left their escrows empty.
      const live = await h.runtime.internals.prisma.craftSession.count({ where: { entityId: w.entityId, status: 'active' } });
      expect(live).toBe(2);
    }
  });
});
