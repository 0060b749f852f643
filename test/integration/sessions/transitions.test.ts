import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TransitionRefused } from '../../../src/services/sessions/session-model.js';
import { startHarness, type Harness } from '../../helpers/harness.js';
import { forgeWorld, ok, startBody, swordMaterials } from '../../helpers/world.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h.close());

describe('the driver writes only allowed transitions', () => {
  it('aCompletedSession_cannotBeReopenedOrCancelled_andStaysAsItWas', async () => {
    const w = await forgeWorld(h, { recipe: { steps: [{ code: 'only', name: 'Only' }] } });
    await swordMaterials(w);
    const { sessionId } = await ok(h, '/craft/session/start', startBody(w, { stationId: undefined }));
    const done = await ok(h, '/craft/session/advance', { sessionId, stepCode: 'only' });
    expect(done.status).toBe('completed');
    const { driver, sessionRepo } = h.runtime.internals;
    const stored = (await sessionRepo.find(sessionId))!;

    await expect(driver.transition(stored, { status: 'active', currentStepIndex: 0 }, [])).rejects.toThrow(TransitionRefused);
    await expect(driver.transition(stored, { status: 'cancelling' }, [])).rejects.toThrow(TransitionRefused);

    const after = (await sessionRepo.find(sessionId))!;
    expect({ status: after.status, version: after.version, outputs: after.outputItemIds }).toEqual({
      status: 'completed',
      version: stored.version,
      outputs: stored.outputItemIds,
    });
    // Nothing was handed back after the refusal: the sword is still the crafter's only output.
    expect(await w.contents()).toMatchObject({ iron_sword: 1 });
  });
});
