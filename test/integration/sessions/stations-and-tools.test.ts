import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from '../../helpers/harness.js';
import { expectError, forgeWorld, newCrafter, ok, startBody, swordMaterials } from '../../helpers/world.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ CRAFT_STATION_EXCLUSIVITY: 'true' });
});
afterAll(() => h.close());

const AT_FORGE = { recipe: { steps: [{ code: 'forge', name: 'Forge', stationType: 'forge' }, { code: 'grip', name: 'Grip', toolCategory: 'hammer' }] } };

describe('stations and tools during a session', () => {
  it('exclusiveStation_secondCrafter_getsStationInUseUntilTheFirstSessionEnds', async () => {
    const w = await forgeWorld(h, AT_FORGE);
    await swordMaterials(w);
    const first = await ok(h, '/craft/session/start', startBody(w));

    const other = await newCrafter(h, w.gs);
    await ok(h, '/craft/proficiency/set', { gameServiceId: w.gs, ...{ entityId: other.entityId, entityType: other.entityType }, domain: 'blacksmithing', targetValue: 490 });
    for (const [code, quantity] of [['iron_ingot', 3], ['leather_strip', 1], ['hammer', 1]] as const) {
      await ok(h, '/dev/item/grant', { containerId: other.inventoryId, gameServiceId: w.gs, itemTemplateCode: code, quantity });
    }
    const otherStart = { ...startBody(w), ...other };
    expectError(await h.post('/craft/session/start', otherStart), 409, 'STATION_IN_USE');

    await ok(h, '/craft/session/cancel', { sessionId: first.sessionId });
    const second = await ok(h, '/craft/session/start', otherStart);
    expect(second.sessionId).toEqual(expect.any(String));
  });

  it('advance_toolGoneSinceStart_returns400AndTheStepStaysOpen', async () => {
    const w = await forgeWorld(h, AT_FORGE);
    await swordMaterials(w);
    const { sessionId } = await ok(h, '/craft/session/start', startBody(w));
    await ok(h, '/craft/session/advance', { sessionId, stepCode: 'forge' });

    // The crafter gives the hammer away between steps.
    const [hammer] = (await ok(h, '/dev/inventory/get', { containerId: w.inventoryId, gameServiceId: w.gs })).items.filter((i: any) => i.itemTemplateCode === 'hammer');
    const elsewhere = await newCrafter(h, w.gs);
    await h.runtime.internals.stubs.inventory.transfer(
      { instanceId: hammer.instanceId, sourceContainerId: w.inventoryId, targetContainerId: elsewhere.inventoryId, gameServiceId: w.gs },
      `test:${hammer.instanceId}`,
    );
    const res = await h.post('/craft/session/advance', { sessionId, stepCode: 'grip' });
    expectError(res, 400, 'TOOL_NOT_AVAILABLE');
    expect((await ok(h, '/craft/session/get', { sessionId })).session.currentStepCode).toBe('grip');
  });

  it('advance_stationDeregisteredMidSession_sessionContinuesAsTheSeedSays', async () => {
    const w = await forgeWorld(h, AT_FORGE);
    await swordMaterials(w);
    const { sessionId } = await ok(h, '/craft/session/start', startBody(w));
    await ok(h, '/craft/station/deregister', { stationId: w.stationId });
    await ok(h, '/craft/session/advance', { sessionId, stepCode: 'forge' });
    const done = await ok(h, '/craft/session/advance', { sessionId, stepCode: 'grip' });
    expect(done.status).toBe('completed');
  });
});
