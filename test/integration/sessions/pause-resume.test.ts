import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditItems, expectConserved } from '../../helpers/audit.js';
import { startHarness, type Harness } from '../../helpers/harness.js';
import { expectError, forgeWorld, ok, startBody, swordMaterials, type World } from '../../helpers/world.js';

/**
 * Pause and resume (seed 003's engineering work saved at a station). The server clock runs
 * `skew` ms ahead of the wall clock, so hours pass without sleeping. Sessions time out after
 * 600 s; a session paused for more than 3600 s ends failed.
 */
let h: Harness;
let skew = 0;
const passTime = (ms: number) => {
  skew += ms;
};
const TWO_STEPS = { recipe: { steps: [{ code: 'a', name: 'A' }, { code: 'b', name: 'B', stationType: 'forge' }] } };
const GRANTED = { iron_ingot: 3, leather_strip: 1, hammer: 1 };

beforeAll(async () => {
  h = await startHarness(
    {
      CRAFT_SESSION_TIMEOUT_SECONDS: '600',
      CRAFT_MAX_PAUSED_SECONDS: '3600',
      CRAFT_RECOVERY_INTERVAL_MS: '600000',
      CRAFT_STATION_EXCLUSIVITY: 'true',
      CRAFT_PAUSE_RELEASES_STATION: 'true',
      CRAFT_MAX_ACTIVE_SESSIONS_PER_ENTITY: '10',
    },
    { clock: { now: () => new Date(Date.now() + skew) } },
  );
});
afterAll(() => h.close());

async function started(w: World) {
  await swordMaterials(w);
  return (await ok(h, '/craft/session/start', startBody(w))).sessionId as string;
}
const get = async (sessionId: string) => (await ok(h, '/craft/session/get', { sessionId })).session;

describe('pause and resume', () => {
  it('aPausedSession_outlivesItsDeadline_andResumesWithEveryDeadlineMovedOn', async () => {
    const w = await forgeWorld(h, TWO_STEPS);
    const sessionId = await started(w);
    await ok(h, '/craft/session/advance', { sessionId, stepCode: 'a' });
    const before = await get(sessionId);

    const paused = (await ok(h, '/craft/session/pause', { sessionId })).session;
    expect(paused).toMatchObject({ status: 'paused', pausedAt: expect.any(String) });
    // Pausing again answers it unchanged; nothing can be done to it but resume or cancel.
    expect((await ok(h, '/craft/session/pause', { sessionId })).session.pausedAt).toBe(paused.pausedAt);
    expectError(await h.post('/craft/session/advance', { sessionId, stepCode: 'b' }), 409, 'SESSION_NOT_ACTIVE');

    // 1000 s pass: beyond the 600 s deadline, within the 3600 s pause limit; then a sweep.
    passTime(1_000_000);
    await h.runtime.internals.recovery.runOnce();
    expect((await get(sessionId)).status).toBe('paused');

    const resumed = (await ok(h, '/craft/session/resume', { sessionId })).session;
    expect(resumed.status).toBe('active');
    expect(resumed.pausedAt).toBeUndefined();
    // The deadline moved on by the paused time (1000 s, plus the few ms the requests took).
    const moved = Date.parse(resumed.expiresAt) - Date.parse(before.expiresAt);
    expect(moved).toBeGreaterThanOrEqual(1_000_000);
    expect(moved).toBeLessThan(1_000_000 + 60_000);
    const done = await ok(h, '/craft/session/advance', { sessionId, stepCode: 'b' });
    expect(done.status).toBe('completed');
    expect(await w.contents()).toEqual({ hammer: 1, iron_sword: 1 });
    expectConserved(await auditItems(h, w.gs), GRANTED);
  });

  it('pausedTooLong_endsFailed_withEverythingReturned', async () => {
    const w = await forgeWorld(h, TWO_STEPS);
    const sessionId = await started(w);
    await ok(h, '/craft/session/pause', { sessionId });
    passTime(3_601_000);
    await h.runtime.internals.recovery.runOnce();
    expect(await get(sessionId)).toMatchObject({ status: 'failed', failureReason: 'paused too long' });
    expect(await w.contents()).toEqual(GRANTED);
    expectConserved(await auditItems(h, w.gs), GRANTED);
  });

  it('aPausedSession_canBeCancelled_materialsBack', async () => {
    const w = await forgeWorld(h, TWO_STEPS);
    const sessionId = await started(w);
    await ok(h, '/craft/session/pause', { sessionId });
    expect((await ok(h, '/craft/session/cancel', { sessionId })).status).toBe('cancelled');
    expect(await w.contents()).toEqual(GRANTED);
    expectError(await h.post('/craft/session/resume', { sessionId }), 409, 'SESSION_NOT_ACTIVE');
  });

  it('theStation_isFreeWhilePaused_andResumeWaitsUntilItIsFreeAgain', async () => {
    const w = await forgeWorld(h, TWO_STEPS);
    const first = await started(w);
    await ok(h, '/craft/session/pause', { sessionId: first });
    // Another session takes the forge meanwhile.
    const second = await started(w);
    expectError(await h.post('/craft/session/resume', { sessionId: first }), 409, 'STATION_IN_USE');
    expect((await get(first)).status).toBe('paused');
    await ok(h, '/craft/session/advance', { sessionId: second, stepCode: 'a' });
    expect((await ok(h, '/craft/session/advance', { sessionId: second, stepCode: 'b' })).status).toBe('completed');
    expect((await ok(h, '/craft/session/resume', { sessionId: first })).session.status).toBe('active');
  });
});

describe('a paused session across a restart', () => {
  it('isPausedByOneProcess_andResumedAndFinishedByAnother', async () => {
    const a = await startHarness();
    const w = await forgeWorld(a, TWO_STEPS);
    await swordMaterials(w);
    const sessionId = (await ok(a, '/craft/session/start', startBody(w))).sessionId as string;
    await ok(a, '/craft/session/pause', { sessionId });
    await a.close();

    const b = await startHarness();
    try {
      expect((await ok(b, '/craft/session/get', { sessionId })).session.status).toBe('paused');
      await ok(b, '/craft/session/resume', { sessionId });
      await ok(b, '/craft/session/advance', { sessionId, stepCode: 'a' });
      expect((await ok(b, '/craft/session/advance', { sessionId, stepCode: 'b' })).status).toBe('completed');
      expectConserved(await auditItems(b, w.gs), GRANTED);
    } finally {
      await b.close();
    }
  });
});
