import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditItems, expectConserved } from '../../helpers/audit.js';
import { eventually, streamEvents } from '../../helpers/events.js';
import { startHarness, type Harness } from '../../helpers/harness.js';
import { expectError, forgeWorld, ok, startBody, swordMaterials, type World } from '../../helpers/world.js';

let h: Harness;
/** The server's clock runs `skew` ms ahead of the wall clock (never back). */
let skew = 0;
/** Lets `ms` of server time pass at once: what recovery sees as stale, without sleeping. */
const passTime = (ms: number) => {
  skew += ms;
};
beforeAll(async () => {
  // Recovery considers a transitional session abandoned after 1 s, and runs only when a test
  // says so: the stubs' fault counters are per process, and a background pass over another
  // file's leftovers would shift an "every 2nd call" rule.
  h = await startHarness({ CRAFT_RECOVERY_STALE_SECONDS: '1', CRAFT_RECOVERY_INTERVAL_MS: '600000' }, { clock: { now: () => new Date(Date.now() + skew) } });
});
afterAll(() => h.close());

const ONE_STEP = { recipe: { steps: [{ code: 'only', name: 'Only' }] } };
const noStation = (w: World) => startBody(w, { stationId: undefined });
const GRANTED = { iron_ingot: 3, leather_strip: 1, hammer: 1 };
const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function status(sessionId: string) {
  return (await ok(h, '/craft/session/get', { sessionId })).session.status as string;
}

describe('failures and recovery', () => {
  it('completion_itemServiceFailsAfterCreatingOutput_retryCreatesNoSecondSword', async () => {
    const w = await forgeWorld(h, ONE_STEP);
    await swordMaterials(w);
    const { sessionId } = await ok(h, '/craft/session/start', noStation(w));
    // The output is created but the answer is lost, every time during this advance.
    h.runtime.internals.faults.arm('item.createInstance', { times: 100, phase: 'after' });
    const res = await ok(h, '/craft/session/advance', { sessionId, stepCode: 'only' });
    h.runtime.internals.faults.disarm();
    expect(res.status).toBe('completing');

    passTime(1100);
    await h.runtime.internals.recovery.runOnce();
    expect(await status(sessionId)).toBe('completed');
    const audit = await auditItems(h, w.gs);
    expect(audit.iron_sword).toMatchObject({ crafted: 1, live: 1 });
    expectConserved(audit, GRANTED);
  });

  it('start_slowerThanTheStaleThreshold_recoveryRollsItBackAndLateMovesAreReturned', async () => {
    const w = await forgeWorld(h, ONE_STEP);
    await swordMaterials(w);
    // Both material moves take 1.5 s: recovery (stale after 1 s) rolls the start back while
    // the escrow is still empty, then the moves land in the escrow of a failed session.
    h.runtime.internals.faults.slow('inventory.transfer', 1500, 2);
    const pending = h.post('/craft/session/start', noStation(w));
    await pause(1200);
    await h.runtime.internals.recovery.runOnce();
    const res = await pending;
    h.runtime.internals.faults.disarm();

    expectError(res, 409, 'SESSION_VERSION_CONFLICT');
    const [row] = await h.runtime.internals.prisma.craftSession.findMany({ where: { gameServiceId: w.gs } });
    expect(row!.status).toBe('failed');
    // The start returned what it moved after losing: nothing is stranded in the escrow.
    expect(await w.contents()).toEqual({ iron_ingot: 3, leather_strip: 1, hammer: 1 });
    expectConserved(await auditItems(h, w.gs), GRANTED);
  });

  it('start_rolledBackByRecovery_thenFailing_staysFailedOnce_withOneFailedEvent', async () => {
    const w = await forgeWorld(h, ONE_STEP);
    await swordMaterials(w);
    // The first move takes 1.5 s: recovery ends the start meanwhile ("start interrupted");
    // then that move fails. The start's own rollback must not reopen the failed session.
    h.runtime.internals.faults.slow('inventory.transfer', 1500, 1);
    const pending = h.post('/craft/session/start', noStation(w));
    await pause(1200);
    await h.runtime.internals.recovery.runOnce();
    h.runtime.internals.faults.arm('inventory.transfer', { times: 1, phase: 'before' });
    const res = await pending;
    h.runtime.internals.faults.disarm();
    expect(res.status).toBeGreaterThanOrEqual(400);

    const [row] = await h.runtime.internals.prisma.craftSession.findMany({ where: { gameServiceId: w.gs } });
    expect({ status: row!.status, reason: row!.failureReason }).toEqual({ status: 'failed', reason: 'start interrupted' });
    const ended = await h.runtime.internals.prisma.outboxEvent.findMany({ where: { subject: { endsWith: 'session.failed' }, payload: { contains: row!.id } } });
    expect(ended).toHaveLength(1);
    expect(await w.contents()).toEqual({ iron_ingot: 3, leather_strip: 1, hammer: 1 });
    expectConserved(await auditItems(h, w.gs), GRANTED);
  });

  it('start_transferFailsMidway_everythingReservedIsReturnedAnd503', async () => {
    const w = await forgeWorld(h, ONE_STEP);
    await swordMaterials(w);
    // The second material move fails after the first one succeeded.
    h.runtime.internals.faults.arm('inventory.transfer', { every: 2, phase: 'before' });
    const res = await h.post('/craft/session/start', noStation(w));
    h.runtime.internals.faults.disarm();
    expectError(res, 503, 'DEPENDENCY_UNAVAILABLE');
    const refunded = await eventually(() => w.contents(), (c) => c.iron_ingot === 3 && c.leather_strip === 1);
    expect(refunded).toEqual({ iron_ingot: 3, leather_strip: 1, hammer: 1 });
    expectConserved(await auditItems(h, w.gs), GRANTED);
  });

  it('recovery_startAbandonedMidway_isRolledBack', async () => {
    const w = await forgeWorld(h, ONE_STEP);
    await swordMaterials(w);
    // Every refund call fails too, as if the process died after moving materials.
    h.runtime.internals.faults.arm('inventory.transfer', { every: 2, phase: 'before' });
    h.runtime.internals.faults.arm('contract.terminate', { times: 100, phase: 'before' });
    expect((await h.post('/craft/session/start', noStation(w))).status).toBe(503);
    h.runtime.internals.faults.disarm();
    const [stuck] = await h.runtime.internals.prisma.craftSession.findMany({ where: { entityId: w.entityId } });
    expect(stuck!.status).toBe('cancelling');

    passTime(1100);
    await h.runtime.internals.recovery.runOnce();
    expect(await status(stuck!.id)).toBe('failed');
    expect(await w.contents()).toEqual({ iron_ingot: 3, leather_strip: 1, hammer: 1 });
    expectConserved(await auditItems(h, w.gs), GRANTED);
  });

  it('timeout_sessionPastItsDeadline_isFailedAndMaterialsReturned', async () => {
    const w = await forgeWorld(h, ONE_STEP);
    await swordMaterials(w);
    const { sessionId } = await ok(h, '/craft/session/start', noStation(w));
    await h.runtime.internals.prisma.craftSession.update({ where: { id: sessionId }, data: { expiresAt: new Date(Date.now() - 1000) } });
    // Two instances sweeping at once must not return anything twice.
    const passes = await Promise.all([h.runtime.internals.recovery.runOnce(), h.runtime.internals.recovery.runOnce()]);
    expect(passes.reduce((n, p) => n + p.timedOut, 0)).toBe(1);
    const session = (await ok(h, '/craft/session/get', { sessionId })).session;
    expect(session).toMatchObject({ status: 'failed', failureReason: 'timed out' });
    expect(await w.contents()).toEqual({ iron_ingot: 3, leather_strip: 1, hammer: 1 });
    expectConserved(await auditItems(h, w.gs), GRANTED);
    const failed = await streamEvents(h.runtime, `${h.config.eventSubjectPrefix}.session.failed`, (p) => p.sessionId === sessionId);
    expect(failed).toHaveLength(1);
    expectError(await h.post('/craft/session/advance', { sessionId, stepCode: 'only' }), 409, 'SESSION_NOT_ACTIVE');
  });

  it('contractTerminated_event_endsTheSessionAndReturnsMaterialsOnce', async () => {
    const w = await forgeWorld(h, ONE_STEP);
    await swordMaterials(w);
    const { sessionId, contractId } = await ok(h, '/craft/session/start', noStation(w));
    await ok(h, '/dev/contract/terminate', { contractId, gameServiceId: w.gs, reason: 'breach' });
    const ended = await eventually(() => status(sessionId), (s) => s === 'failed');
    expect(ended).toBe('failed');
    expect(await w.contents()).toEqual({ iron_ingot: 3, leather_strip: 1, hammer: 1 });
    expectConserved(await auditItems(h, w.gs), GRANTED);
    const inbox = await h.runtime.internals.prisma.inboxMessage.count({ where: { messageId: { contains: contractId } } });
    expect(inbox).toBe(1);
  });

  it('cancel_materialsRejoinTheStacksTheyCameFrom', async () => {
    const w = await forgeWorld(h, ONE_STEP);
    const ingots = await w.grant('iron_ingot', 5, 0.65);
    const strips = await w.grant('leather_strip', 2, 0.65);
    await w.grant('hammer', 1, 0.8);
    const { sessionId } = await ok(h, '/craft/session/start', noStation(w));
    const res = await ok(h, '/craft/session/cancel', { sessionId });
    expect(res.materialsReturned.map((m: any) => [m.itemTemplateCode, m.quantity, m.returnedToInstanceId]).sort()).toEqual([
      ['iron_ingot', 3, ingots],
      ['leather_strip', 1, strips],
    ]);
    const items = (await ok(h, '/dev/inventory/get', { containerId: w.inventoryId, gameServiceId: w.gs })).items as any[];
    expect(items.filter((i) => i.itemTemplateCode !== 'hammer').map((i) => [i.instanceId, i.quantity]).sort()).toEqual(
      [
        [ingots, 5],
        [strips, 2],
      ].sort(),
    );
  });

  it('cancel_activeSession_returnsEverythingAndReleasesTheHold', async () => {
    const w = await forgeWorld(h, { recipe: { ...ONE_STEP.recipe, currencyCosts: [{ currencyCode: 'gold', amount: 5 }] } });
    await swordMaterials(w);
    await ok(h, '/dev/currency/credit', { gameServiceId: w.gs, ownerId: w.entityId, ownerType: w.entityType, currencyCode: 'gold', amount: 5 });
    const { sessionId } = await ok(h, '/craft/session/start', noStation(w));
    const res = await ok(h, '/craft/session/cancel', { sessionId });
    expect(res.status).toBe('cancelled');
    expect(res.materialsReturned).toHaveLength(2);
    expect(await w.contents()).toEqual({ iron_ingot: 3, leather_strip: 1, hammer: 1 });
    const wallet = await ok(h, '/dev/currency/wallet/get', { gameServiceId: w.gs, ownerId: w.entityId, ownerType: w.entityType });
    expect(wallet.wallet.balances[0]).toMatchObject({ amount: 5, held: 0, available: 5 });
    // Cancelling again answers the same result and changes nothing.
    expect(await ok(h, '/craft/session/cancel', { sessionId })).toEqual(res);
    const cancelled = await streamEvents(h.runtime, `${h.config.eventSubjectPrefix}.session.cancelled`, (p) => p.sessionId === sessionId);
    expect(cancelled).toHaveLength(1);
    expect(cancelled[0]!.payload.materialsReturned).toHaveLength(2);
  });
});
