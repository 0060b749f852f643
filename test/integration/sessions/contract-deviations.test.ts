import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ClientError } from '../../../src/clients/errors.js';
import { auditItems } from '../../helpers/audit.js';
import { startHarness, type Harness } from '../../helpers/harness.js';
import { expectError, forgeWorld, newCrafter, ok, startBody, swordMaterials } from '../../helpers/world.js';

/**
 * Where sessions disagreed with their own contract (schemas/craft-api.yaml and the README), as
 * an outside test of modification, extraction and collaborative sessions found them: one test
 * each, asserting what the contract says. (5, the output preview of a salvage, is
 * queries/output-preview.test.ts "preview_extraction_everyQuantity...", and its rule
 * unit/domain/extraction.test.ts.)
 */
let h: Harness;
beforeAll(async () => {
  h = await startHarness({ CRAFT_COLLABORATION_BONUS_MULTIPLIER: '0.05', CRAFT_MAX_ACTIVE_SESSIONS_PER_ENTITY: '10' });
});
afterAll(() => h.close());

const ROLE_STEPS = {
  recipe: {
    steps: [
      { code: 'prepare', name: 'Prepare', skillCheck: true },
      { code: 'strike', name: 'Strike', eligibleRoles: ['assistant'] },
    ],
  },
};

describe('sessions as the contract describes them', () => {
  it('1_cancel_twice_theSecondAnswersTheSameResult_andReturnsNothingTwice', async () => {
    const w = await forgeWorld(h, ROLE_STEPS);
    await swordMaterials(w);
    const { sessionId } = await ok(h, '/craft/session/start', startBody(w, { stationId: undefined }));
    const first = await ok(h, '/craft/session/cancel', { sessionId });
    const second = await ok(h, '/craft/session/cancel', { sessionId });
    expect(second).toEqual(first);
    expect(first.status).toBe('cancelled');
    expect(await w.contents()).toEqual({ iron_ingot: 3, leather_strip: 1, hammer: 1 });
  });

  it('2_thePrimaryEntity_mayAdvanceAStepThatNamesRoles_soASessionWithoutParticipantsFinishes', async () => {
    const w = await forgeWorld(h, ROLE_STEPS);
    await swordMaterials(w);
    const { sessionId } = await ok(h, '/craft/session/start', startBody(w, { stationId: undefined }));
    await ok(h, '/craft/session/advance', { sessionId, stepCode: 'prepare', performance: 0.5 });
    const done = await ok(h, '/craft/session/advance', { sessionId, stepCode: 'strike', entityId: w.entityId, entityType: w.entityType });
    expect(done.status).toBe('completed');
  });

  it('3_accumulatedQuality_whileRunning_includesTheCollaborationBonus_likeTheFinalQuality', async () => {
    const w = await forgeWorld(h, ROLE_STEPS);
    await swordMaterials(w);
    const assistant = await newCrafter(h, w.gs);
    const participants = [{ entityId: assistant.entityId, entityType: assistant.entityType, role: 'assistant' }];
    const { sessionId } = await ok(h, '/craft/session/start', startBody(w, { stationId: undefined, participants }));
    const base = (await ok(h, '/craft/session/get', { sessionId })).session.state.baseQuality as number;
    const started = (await ok(h, '/craft/session/get', { sessionId })).session.accumulatedQuality;
    expect(started).toBeCloseTo(base + 0.05, 6);
    // One skill check at 0.75: +0.05; one assistant: +0.05.
    const step = await ok(h, '/craft/session/advance', { sessionId, stepCode: 'prepare', performance: 0.75 });
    expect(step.qualityContribution).toBeCloseTo(0.05, 6);
    expect(step.accumulatedQuality).toBeCloseTo(base + 0.05 + 0.05, 6);
    const done = await ok(h, '/craft/session/advance', { sessionId, stepCode: 'strike', entityId: assistant.entityId, entityType: assistant.entityType });
    expect(done.finalQuality).toBe(step.accumulatedQuality);
  });

  it('4_aParticipant_isMatchedByIdAndEntityType', async () => {
    const w = await forgeWorld(h, ROLE_STEPS);
    await swordMaterials(w);
    const assistant = await newCrafter(h, w.gs);
    const participants = [{ entityId: assistant.entityId, entityType: 'character', role: 'assistant' }];
    const { sessionId } = await ok(h, '/craft/session/start', startBody(w, { stationId: undefined, participants }));
    await ok(h, '/craft/session/advance', { sessionId, stepCode: 'prepare', performance: 0.5 });
    const asNpc = await h.post('/craft/session/advance', { sessionId, stepCode: 'strike', entityId: assistant.entityId, entityType: 'npc' });
    expectError(asNpc, 400, 'ROLE_NOT_ELIGIBLE');
    const asCharacter = await ok(h, '/craft/session/advance', { sessionId, stepCode: 'strike', entityId: assistant.entityId, entityType: 'character' });
    expect(asCharacter.status).toBe('completed');
  });

  it('6_aPermanentRefusalAtStart_endsTheSessionFailedWithEverythingBack_notAnEndlessRecovery', async () => {
    const w = await forgeWorld(h);
    await swordMaterials(w);
    const before = await w.contents();
    const contract = h.runtime.internals.stubs.contract;
    const original = contract.createInstance.bind(contract);
    contract.createInstance = async () => {
      throw new ClientError('contract', 'invalid', 'party entityType must be a non-empty string');
    };
    try {
      expectError(await h.post('/craft/session/start', startBody(w)), 422, 'DEPENDENCY_REFUSED');
      // Recovery, run again and again, finds nothing to do: the session is at rest.
      for (let i = 0; i < 3; i++) await h.runtime.internals.recovery.runOnce();
    } finally {
      contract.createInstance = original;
    }
    const rows = await h.runtime.internals.prisma.craftSession.findMany({ where: { entityId: w.entityId } });
    expect(rows.map((r) => [r.status, r.pendingEffects])).toEqual([['failed', false]]);
    expect(await w.contents()).toEqual(before);
  });

  it('7_theLosersOfARaceForOneTarget_areToldTheTargetIsTaken_notThatMaterialsAreShort', async () => {
    const w = await forgeWorld(h, {
      recipe: {
        code: 'salvage_sword',
        recipeType: 'extraction',
        domain: 'blacksmithing',
        inputs: [{ itemTemplateCode: 'leather_strip', quantity: 1 }],
        outputs: [],
        targetRequirements: { validItemClasses: ['one_hand_sword'] },
        steps: [{ code: 'break_down', name: 'Break down' }],
        extractionOutputs: [{ itemTemplateCode: 'iron_ingot', baseQuantity: 2, quantityVariance: 0, probability: 1 }],
      },
    });
    const sword = await w.grant('iron_sword', 1, 0.7);
    await w.grant('leather_strip', 10, 0.5);
    const body = startBody(w, { stationId: undefined, targetItemId: sword });
    const results = await Promise.all(Array.from({ length: 8 }, () => h.post('/craft/session/start', body)));
    const codes = results.map((r) => (r.status === 200 ? 'started' : r.body.code)).sort();
    expect(codes).toEqual([...Array(7).fill('TARGET_ITEM_INVALID'), 'started']);
    // One after the other: the same answer.
    expectError(await h.post('/craft/session/start', body), 400, 'TARGET_ITEM_INVALID');
    // The losers gave back every strip they had reserved.
    expect((await w.contents()).leather_strip).toBe(9);
    expect((await auditItems(h, w.gs)).leather_strip).toMatchObject({ live: 10, consumed: 0 });
  });
});

/** Polls until `probe` holds (the milestone mirror runs after the answer, from the step's event). */
async function eventually(what: string, probe: () => Promise<boolean>, timeoutMs = 15_000) {
  const deadline = Date.now() + timeoutMs;
  while (!(await probe())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('the contract follows its session', () => {
  it('aMiddleStep_isMirroredOnTheContractAfterTheAnswer_evenWhenTheContractServiceFailsOnce', async () => {
    const w = await forgeWorld(h, ROLE_STEPS);
    await swordMaterials(w);
    const { sessionId, contractId } = await ok(h, '/craft/session/start', startBody(w, { stationId: undefined }));
    const milestones = async () => (await h.runtime.internals.stubs.contract.getInstance(contractId, w.gs))!.milestones.map((m) => m.isComplete);
    h.runtime.internals.faults.arm('contract.completeMilestone', { times: 1 });
    await ok(h, '/craft/session/advance', { sessionId, stepCode: 'prepare' });
    // The first try met the failure; the event came again and the milestone was recorded once.
    await eventually('the first milestone', async () => (await milestones())[0] === true);
    expect(await milestones()).toEqual([true, false]);
  });

  it('milestonesLostWhileTheContractServiceWasAway_areRecordedAtCompletion_soTheContractIsFulfilled', async () => {
    const w = await forgeWorld(h, ROLE_STEPS);
    await swordMaterials(w);
    const { sessionId, contractId } = await ok(h, '/craft/session/start', startBody(w, { stationId: undefined }));
    await ok(h, '/craft/session/advance', { sessionId, stepCode: 'prepare' });
    const contractOf = () => h.runtime.internals.stubs.contract.getInstance(contractId, w.gs);
    await eventually('the first milestone', async () => (await contractOf())!.milestones[0]!.isComplete);
    // The contract service fails the final advance's first milestone call: its loop stops there.
    h.runtime.internals.faults.arm('contract.completeMilestone', { times: 1 });
    const done = await ok(h, '/craft/session/advance', { sessionId, stepCode: 'strike' });
    expect(done.status).toBe('completed');
    const contract = await contractOf();
    expect(contract?.status).toBe('Fulfilled');
    expect(contract?.milestones.map((m) => m.isComplete)).toEqual([true, true]);
  });
});
