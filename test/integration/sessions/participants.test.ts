import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from '../../helpers/harness.js';
import { expectError, forgeWorld, newCrafter, ok, startBody, swordMaterials } from '../../helpers/world.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ CRAFT_COLLABORATION_BONUS_MULTIPLIER: '0.05', CRAFT_APPRENTICE_BONUS_MULTIPLIER: '0.5' });
});
afterAll(() => h.close());

const TEAM_RECIPE = {
  recipe: {
    steps: [
      { code: 'prepare', name: 'Prepare', eligibleRoles: ['apprentice', 'crafter'] },
      { code: 'strike', name: 'Strike', eligibleRoles: ['striker'] },
      { code: 'finish', name: 'Finish' },
    ],
    experienceGrants: [{ domain: 'blacksmithing', baseExperience: 40 }],
  },
};

describe('participants', () => {
  it('participants_eligibleRolesCollaborationAndApprenticeExperience', async () => {
    const w = await forgeWorld(h, TEAM_RECIPE);
    await swordMaterials(w);
    const striker = await newCrafter(h, w.gs);
    const apprentice = await newCrafter(h, w.gs);
    const participants = [
      { entityId: striker.entityId, entityType: striker.entityType, role: 'striker' },
      { entityId: apprentice.entityId, entityType: apprentice.entityType, role: 'apprentice' },
    ];
    const started = await ok(h, '/craft/session/start', startBody(w, { stationId: undefined, participants }));
    expect(started.participants).toEqual(participants);
    const sessionId = started.sessionId;

    // The apprentice may prepare but not strike; the striker may strike (the primary entity may always).
    await ok(h, '/craft/session/advance', { sessionId, stepCode: 'prepare', entityId: apprentice.entityId, entityType: 'character' });
    expectError(
      await h.post('/craft/session/advance', { sessionId, stepCode: 'strike', entityId: apprentice.entityId, entityType: 'character' }),
      400,
      'ROLE_NOT_ELIGIBLE',
    );
    await ok(h, '/craft/session/advance', { sessionId, stepCode: 'strike', entityId: striker.entityId, entityType: 'character' });
    // A step without eligibleRoles belongs to the crafter alone.
    expectError(
      await h.post('/craft/session/advance', { sessionId, stepCode: 'finish', entityId: striker.entityId, entityType: 'character' }),
      400,
      'ROLE_NOT_ELIGIBLE',
    );
    const done = await ok(h, '/craft/session/advance', { sessionId, stepCode: 'finish' });
    expect(done.status).toBe('completed');

    // One collaborator (the striker; apprentices do not count) adds 0.05 to the quality.
    const session = (await ok(h, '/craft/session/get', { sessionId })).session;
    expect(done.finalQuality).toBeCloseTo(session.state.baseQuality + 0.05, 12);
    expect(session.steps.map((s: any) => s.completedByEntityId)).toEqual([apprentice.entityId, striker.entityId, w.entityId]);

    // The apprentice learns half the base experience.
    const learned = await ok(h, '/craft/proficiency/get', {
      gameServiceId: w.gs,
      entityId: apprentice.entityId,
      entityType: 'character',
      domain: 'blacksmithing',
    });
    expect(learned.proficiency.experience).toBe(20);
    const strikerProf = await h.post('/craft/proficiency/get', { gameServiceId: w.gs, entityId: striker.entityId, entityType: 'character', domain: 'blacksmithing' });
    expect(strikerProf.status).toBe(404);
  });

  it('participants_duplicateOrTheCrafterItself_rejected', async () => {
    const w = await forgeWorld(h, TEAM_RECIPE);
    await swordMaterials(w);
    const res = await h.post('/craft/session/start', startBody(w, { stationId: undefined, participants: [{ entityId: w.entityId, entityType: w.entityType, role: 'striker' }] }));
    expectError(res, 400, 'PARTICIPANT_INVALID');
  });
});
