import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditItems, expectConserved } from '../../helpers/audit.js';
import { startHarness, type Harness } from '../../helpers/harness.js';
import { bearer, mintToken } from '../../helpers/tokens.js';
import { expectError, forgeWorld, ok, startBody, swordMaterials, type World } from '../../helpers/world.js';

/**
 * A paused-time limit per game service (craft/settings/set maxPausedSeconds) over the
 * deployment's CRAFT_MAX_PAUSED_SECONDS (3600 s here). The server clock runs `skew` ms ahead of
 * the wall clock, so time passes without sleeping; the sweeper runs when the test says.
 */
let h: Harness;
let skew = 0;
const TWO_STEPS = { recipe: { steps: [{ code: 'a', name: 'A' }, { code: 'b', name: 'B' }] } };
const GRANTED = { iron_ingot: 3, leather_strip: 1, hammer: 1 };

beforeAll(async () => {
  h = await startHarness(
    { CRAFT_SESSION_TIMEOUT_SECONDS: '86400', CRAFT_MAX_PAUSED_SECONDS: '3600', CRAFT_RECOVERY_INTERVAL_MS: '600000' },
    { clock: { now: () => new Date(Date.now() + skew) } },
  );
});
afterAll(() => h.close());

async function pausedSession(w: World) {
  await swordMaterials(w);
  const { sessionId } = await ok(h, '/craft/session/start', startBody(w));
  await ok(h, '/craft/session/pause', { sessionId });
  return sessionId as string;
}
const statusOf = async (sessionId: string) => (await ok(h, '/craft/session/get', { sessionId })).session;

describe('a paused-time limit per game service', () => {
  it('aGameServicesOwnLimit_endsItsPausedSessions_sooner_othersKeepTheDefault', async () => {
    const strict = await forgeWorld(h, TWO_STEPS);
    const lenient = await forgeWorld(h, TWO_STEPS);
    expect((await ok(h, '/craft/settings/get', { gameServiceId: strict.gs })).settings).toEqual({
      gameServiceId: strict.gs,
      maxPausedSeconds: 3600,
      overrides: { maxPausedSeconds: null },
    });
    expect((await ok(h, '/craft/settings/set', { gameServiceId: strict.gs, maxPausedSeconds: 120 })).settings).toEqual({
      gameServiceId: strict.gs,
      maxPausedSeconds: 120,
      overrides: { maxPausedSeconds: 120 },
    });
    const short = await pausedSession(strict);
    const long = await pausedSession(lenient);

    // 130 s: past the strict game service's 120 s, far within the default 3600 s.
    skew += 130_000;
    await h.runtime.internals.recovery.runOnce();
    expect(await statusOf(short)).toMatchObject({ status: 'failed', failureReason: 'paused too long' });
    expect((await statusOf(long)).status).toBe('paused');
    expect(await strict.contents()).toEqual(GRANTED);
    expectConserved(await auditItems(h, strict.gs), GRANTED);

    // Back to the default: a new paused session of the strict game service outlives 130 s.
    const reset = await ok(h, '/craft/settings/set', { gameServiceId: strict.gs, maxPausedSeconds: null });
    expect(reset.settings).toMatchObject({ maxPausedSeconds: 3600, overrides: { maxPausedSeconds: null } });
    const again = await pausedSession(strict);
    skew += 130_000;
    await h.runtime.internals.recovery.runOnce();
    expect((await statusOf(again)).status).toBe('paused');
    expect((await statusOf(long)).status).toBe('paused');
  });

  it('aLimitLongerThanTheDefault_keepsItsSessionsPausedPastTheDefault', async () => {
    const patient = await forgeWorld(h, TWO_STEPS);
    await ok(h, '/craft/settings/set', { gameServiceId: patient.gs, maxPausedSeconds: 7200 });
    const sessionId = await pausedSession(patient);
    // 4000 s: past the default 3600 s, within its own 7200 s.
    skew += 4_000_000;
    await h.runtime.internals.recovery.runOnce();
    expect((await statusOf(sessionId)).status).toBe('paused');
    // 7300 s in all: past its own limit.
    skew += 3_300_000;
    await h.runtime.internals.recovery.runOnce();
    expect(await statusOf(sessionId)).toMatchObject({ status: 'failed', failureReason: 'paused too long' });
    expect(await patient.contents()).toEqual(GRANTED);
  });

  it('aLimitOutOfRange_orAnotherGameServices_isRefused_andChangesNothing', async () => {
    const w = await forgeWorld(h, TWO_STEPS);
    const other = await forgeWorld(h, TWO_STEPS);
    expectError(await h.post('/craft/settings/set', { gameServiceId: w.gs, maxPausedSeconds: 59 }), 400, 'VALIDATION_FAILED');
    expectError(await h.post('/craft/settings/set', { gameServiceId: w.gs, maxPausedSeconds: 1.5 }), 400, 'VALIDATION_FAILED');
    expectError(await h.post('/craft/settings/set', { gameServiceId: w.gs, pausedForever: true }), 400, 'VALIDATION_FAILED');
    // A developer of another game service reads and sets nothing here: the game service does not exist for it.
    const outsider = bearer(await mintToken({ sub: 'other-game', roles: ['developer'], gameServices: [other.gs] }));
    expectError(await h.post('/craft/settings/set', { gameServiceId: w.gs, maxPausedSeconds: 60 }, outsider), 400, 'GAME_SERVICE_NOT_FOUND');
    expectError(await h.post('/craft/settings/get', { gameServiceId: w.gs }, outsider), 400, 'GAME_SERVICE_NOT_FOUND');
    expect((await ok(h, '/craft/settings/get', { gameServiceId: w.gs })).settings.overrides).toEqual({ maxPausedSeconds: null });
  });

  it('cleanupOfTheGameService_removesItsSettings', async () => {
    const w = await forgeWorld(h, TWO_STEPS);
    await ok(h, '/craft/settings/set', { gameServiceId: w.gs, maxPausedSeconds: 600 });
    await ok(h, '/craft/cleanup-by-game-service', { gameServiceId: w.gs });
    expect(await h.runtime.internals.prisma.craftGameServiceSettings.count({ where: { gameServiceId: w.gs } })).toBe(0);
  });
});
