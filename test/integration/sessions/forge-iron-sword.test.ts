import { rngFor } from '../../../src/domain/rng.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { streamEvents } from '../../helpers/events.js';
import { startHarness, type Harness } from '../../helpers/harness.js';
import { expectError, forgeWorld, ok, startBody, swordMaterials } from '../../helpers/world.js';

let h: Harness;
/** The server's clock runs `skew` ms ahead of the wall clock: a step's duration passes without sleeping. */
let skew = 0;
beforeAll(async () => {
  h = await startHarness({}, { clock: { now: () => new Date(Date.now() + skew) } });
});
afterAll(() => h.close());

/** The seed's recipe: heating takes 15 seconds of server time. */
const seedSword = {
  steps: [
    { code: 'heat_metal', name: 'Heat the metal', stationType: 'forge', durationSeconds: 15, skillCheck: true },
    { code: 'hammer_blade', name: 'Hammer the blade', stationType: 'forge', toolCategory: 'hammer', skillCheck: true },
    { code: 'quench', name: 'Quench', stationType: 'forge', skillCheck: false },
    { code: 'attach_grip', name: 'Attach the grip', toolCategory: 'hammer', skillCheck: false },
  ],
};

/** Moves the server clock to `iso` (never back). */
const passTimeUntil = (iso: string) => {
  skew = Math.max(skew, Date.parse(iso) - Date.now());
};

describe('Forge Iron Sword, step by step', () => {
  it('forgeIronSword_seedExampleFactors_swordArrivesWithQuality0765', async () => {
    // Seed example: materials 0.65, proficiency 7/10 = 0.70, hammer 0.8 with a 0.8 forge, bonuses 0.06.
    const w = await forgeWorld(h, { recipe: seedSword, level: 7, stationQuality: 0.8 });
    await swordMaterials(w);
    expect(await w.contents()).toEqual({ iron_ingot: 3, leather_strip: 1, hammer: 1 });

    const started = await ok(h, '/craft/session/start', startBody(w));
    expect(started.firstStepCode).toBe('heat_metal');
    expect(started.reservedMaterials.map((m: any) => [m.itemTemplateCode, m.quantity]).sort()).toEqual([
      ['iron_ingot', 3],
      ['leather_strip', 1],
    ]);
    // Materials left the inventory at start; the hammer (a tool) stays.
    expect(await w.contents()).toEqual({ hammer: 1 });

    // The heat step takes time on the server clock.
    const early = await h.post('/craft/session/advance', { sessionId: started.sessionId, stepCode: 'heat_metal', performance: 0.8 });
    expectError(early, 409, 'STEP_NOT_READY');
    expect(Date.parse(early.body.details.readyAt) - (Date.now() + skew)).toBeGreaterThan(10_000);
    passTimeUntil(early.body.details.readyAt);

    const heat = await ok(h, '/craft/session/advance', { sessionId: started.sessionId, stepCode: 'heat_metal', performance: 0.8 });
    expect(heat).toMatchObject({ stepCode: 'heat_metal', nextStepCode: 'hammer_blade', status: 'active' });
    expect(heat.qualityContribution).toBeCloseTo(0.03, 12);
    const hammer = await ok(h, '/craft/session/advance', { sessionId: started.sessionId, stepCode: 'hammer_blade', performance: 0.8 });
    expect(hammer.qualityContribution).toBeCloseTo(0.03, 12);
    expect(hammer.accumulatedQuality).toBeCloseTo(0.705 + 0.06, 12);
    const quench = await ok(h, '/craft/session/advance', { sessionId: started.sessionId, stepCode: 'quench' });
    expect(quench).toMatchObject({ qualityContribution: 0, nextStepCode: 'attach_grip' });
    const grip = await ok(h, '/craft/session/advance', { sessionId: started.sessionId, stepCode: 'attach_grip' });
    expect(grip).toMatchObject({ status: 'completed', nextStepCode: null });
    expect(grip.finalQuality).toBeCloseTo(0.765, 12);
    expect(grip.outputItemIds).toHaveLength(1);

    // The sword is in the inventory with the formula's quality; the materials are gone.
    const inventory = await ok(h, '/dev/inventory/get', { containerId: w.inventoryId, gameServiceId: w.gs });
    const sword = inventory.items.find((i: any) => i.itemTemplateCode === 'iron_sword');
    expect(sword).toMatchObject({ instanceId: grip.outputItemIds[0], quantity: 1, originType: 'Craft' });
    expect(sword.quality).toBeCloseTo(0.765, 12);
    expect(await w.contents()).toEqual({ hammer: 1, iron_sword: 1 });

    const session = (await ok(h, '/craft/session/get', { sessionId: started.sessionId })).session;
    expect(session).toMatchObject({ status: 'completed', currentStepCode: null, recipeCode: 'forge_iron_sword' });
    expect(session.steps.every((s: any) => s.isComplete)).toBe(true);
    expect(session.reservedMaterials.every((m: any) => m.consumed)).toBe(true);

    // Experience: 50 base + 25 first-craft bonus on top of the 490 the crafter had.
    const prof = await ok(h, '/craft/proficiency/get', { gameServiceId: w.gs, entityId: w.entityId, entityType: w.entityType, domain: 'blacksmithing' });
    expect(prof.proficiency.experience).toBe(565);

    const events = async (topic: string) =>
      streamEvents(h.runtime, `${h.config.eventSubjectPrefix}.${topic}`, (p) => p.sessionId === started.sessionId);
    expect(await events('session.started')).toHaveLength(1);
    expect((await events('session.step-completed')).map((e) => e.payload.stepCode)).toEqual(['heat_metal', 'hammer_blade', 'quench', 'attach_grip']);
    const completed = await events('session.completed');
    expect(completed).toHaveLength(1);
    expect(completed[0]!.payload.finalQuality).toBeCloseTo(0.765, 12);
  });

  it('advance_sameStepTwice_secondIs409AndOnlyOneStepRecorded', async () => {
    const w = await forgeWorld(h, { recipe: { steps: [{ code: 'a', name: 'A' }, { code: 'b', name: 'B' }] } });
    await swordMaterials(w);
    const { sessionId } = await ok(h, '/craft/session/start', startBody(w, { stationId: undefined }));
    await ok(h, '/craft/session/advance', { sessionId, stepCode: 'a' });
    expectError(await h.post('/craft/session/advance', { sessionId, stepCode: 'a' }), 409, 'STEP_ALREADY_COMPLETED');
    expectError(await h.post('/craft/session/advance', { sessionId, stepCode: 'zzz' }), 400, 'STEP_NOT_FOUND');
    const session = (await ok(h, '/craft/session/get', { sessionId })).session;
    expect(session.steps.filter((s: any) => s.isComplete)).toHaveLength(1);
    expect(session.currentStepCode).toBe('b');
  });

  it('advance_stepOutOfOrder_returns409WithTheExpectedStep', async () => {
    const w = await forgeWorld(h, { recipe: seedSword });
    await swordMaterials(w);
    const { sessionId } = await ok(h, '/craft/session/start', startBody(w));
    const res = await h.post('/craft/session/advance', { sessionId, stepCode: 'quench' });
    expectError(res, 409, 'STEP_OUT_OF_ORDER');
    expect(res.body.details.expectedStepCode).toBe('heat_metal');
  });

  it('qualityValues_inAnswers_haveNoFloatNoise', async () => {
    // Three checks at 0.8: (0.8 - 0.5) x 0.2 / 3 is 0.020000000000000004 in floating point.
    const steps = ['a', 'b', 'c'].map((code) => ({ code, name: code, skillCheck: true }));
    const w = await forgeWorld(h, { recipe: { steps } });
    await swordMaterials(w);
    const { sessionId } = await ok(h, '/craft/session/start', startBody(w, { stationId: undefined }));
    const answers = [];
    for (const { code } of steps) answers.push(await ok(h, '/craft/session/advance', { sessionId, stepCode: code, performance: 0.8 }));
    answers.push(await ok(h, '/craft/session/get', { sessionId }));
    answers.push(await ok(h, '/craft/query/estimate-quality', { recipeId: w.recipeId, entityId: w.entityId, entityType: w.entityType, materialItemIds: [] }));
    const noisy = JSON.stringify(answers).match(/\d\.\d{7,}/g);
    expect(noisy).toBeNull();
    expect(answers[0].qualityContribution).toBe(0.02);
  });

  it('advance_withoutPerformance_rollsFromTheSessionSeedDeterministically', async () => {
    const w = await forgeWorld(h, { recipe: { steps: [{ code: 'a', name: 'A', skillCheck: true }] } });
    await swordMaterials(w);
    const { sessionId } = await ok(h, '/craft/session/start', startBody(w, { stationId: undefined }));
    const res = await ok(h, '/craft/session/advance', { sessionId, stepCode: 'a', action: 'careful_strike' });
    // One skill check: the bonus lies in [-0.1, 0.1].
    expect(Math.abs(res.qualityContribution)).toBeLessThanOrEqual(0.1);
    const session = (await ok(h, '/craft/session/get', { sessionId })).session;
    // The roll and the score it gave are recorded, and both follow from the stored seed.
    const seed = (await h.runtime.internals.prisma.craftSession.findUniqueOrThrow({ where: { id: sessionId } })).rngSeed;
    const roll = rngFor(seed, 'step:0:1')();
    const score = 0.5 * roll + 0.5 * session.state.proficiencyFactor;
    expect(session.steps[0]).toMatchObject({ action: 'careful_strike' });
    expect(session.steps[0].roll).toBeCloseTo(roll, 6);
    expect(session.steps[0].performance).toBeCloseTo(score, 6);
    expect({ performance: res.performance, roll: res.roll }).toEqual({ performance: session.steps[0].performance, roll: session.steps[0].roll });
    expect(res.qualityContribution).toBeCloseTo((score - 0.5) * 0.2, 6);
  });

  it('getAndList_activeSession_showRecipeStepDeadlinesAndMaterials', async () => {
    const w = await forgeWorld(h, { recipe: seedSword });
    await swordMaterials(w);
    const { sessionId, expiresAt } = await ok(h, '/craft/session/start', startBody(w));
    const session = (await ok(h, '/craft/session/get', { sessionId })).session;
    expect(session).toMatchObject({
      status: 'active',
      currentStepCode: 'heat_metal',
      recipeId: w.recipeId,
      expiresAt,
      stationId: w.stationId,
    });
    expect(session.steps[0].readyAt).toEqual(expect.any(String));
    expect(session.reservedMaterials).toHaveLength(2);
    expect(session.state).toMatchObject({ materialQuality: 0.65, proficiencyFactor: 0.7 });
    const listed = await ok(h, '/craft/session/list', { entityId: w.entityId, entityType: w.entityType });
    expect(listed.items.map((s: any) => s.sessionId)).toEqual([sessionId]);
  });
});
