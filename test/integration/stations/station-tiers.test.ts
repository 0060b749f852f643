import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from '../../helpers/harness.js';
import { expectError, forgeWorld, ok, startBody, swordMaterials, type World } from '../../helpers/world.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ CRAFT_MAX_ACTIVE_SESSIONS_PER_ENTITY: '10' });
});
afterAll(() => h.close());

/**
 * The seed's sword needing a tier-2 forge, its 3 ingots in the forge's `core` slots and its
 * strip in the `surrounding` ones. forgeWorld registers a tier-0 forge without a capacity.
 */
const tiered = {
  recipe: {
    stationTierMinimum: 2,
    inputs: [
      { itemTemplateCode: 'iron_ingot', quantity: 3, stationSlot: 'core' },
      { itemTemplateCode: 'leather_strip', quantity: 1, stationSlot: 'surrounding' },
    ],
  },
};

async function forge(w: World, body: Record<string, unknown>) {
  return (await ok(h, '/craft/station/register', { gameServiceId: w.gs, stationType: 'forge', quality: 0.7, ...body })).station;
}

describe('stations with tiers and capacities', () => {
  it('register_keepsTierAndCapacity_andDefaultsToTier0WithoutALimit', async () => {
    const w = await forgeWorld(h);
    const big = await forge(w, { tier: 3, capacity: { core: 4, surrounding: 8 } });
    expect(big).toMatchObject({ tier: 3, capacity: { core: 4, surrounding: 8 } });
    expect((await ok(h, '/craft/station/get', { stationId: big.stationId })).station).toEqual(big);
    // Tier 0 and no limit are the defaults, left out of the answer.
    const plain = (await ok(h, '/craft/station/get', { stationId: w.stationId })).station;
    expect([plain.tier, plain.capacity]).toEqual([undefined, undefined]);
    expectError(await h.post('/craft/station/register', { gameServiceId: w.gs, stationType: 'forge', quality: 0.5, tier: -1 }), 400, 'VALIDATION_FAILED');
  });

  it('aStationBelowTheRecipesTier_orTooSmall_isRefusedAtStart_andAHigherTierCraftsIt', async () => {
    const w = await forgeWorld(h, tiered);
    await swordMaterials(w);
    const before = await w.contents();

    const low = await h.post('/craft/session/start', startBody(w));
    expectError(low, 400, 'STATION_NOT_AVAILABLE');
    expect(low.body.details).toMatchObject({ reason: 'tier', required: 2, tier: 0 });

    const small = await forge(w, { tier: 2, capacity: { core: 2, surrounding: 8 } });
    const cramped = await h.post('/craft/session/start', startBody(w, { stationId: small.stationId }));
    expectError(cramped, 400, 'STATION_NOT_AVAILABLE');
    expect(cramped.body.details).toMatchObject({ reason: 'capacity', kind: 'core', required: 3, capacity: 2 });

    // A capacity without the kind holds none of it.
    const coreOnly = await forge(w, { tier: 5, capacity: { core: 10 } });
    expect((await h.post('/craft/session/start', startBody(w, { stationId: coreOnly.stationId }))).body.details).toMatchObject({ reason: 'capacity', kind: 'surrounding' });
    expect(await w.contents()).toEqual(before);

    // Tier 3 crafts a tier-2 recipe; 3 core units fit 4.
    const good = await forge(w, { tier: 3, capacity: { core: 4, surrounding: 8 } });
    const started = await ok(h, '/craft/session/start', startBody(w, { stationId: good.stationId }));
    expect(started.sessionId).toBeTruthy();
  });

  it('canCraft_withoutAStationNamed_looksForOneThatFits', async () => {
    const w = await forgeWorld(h, tiered);
    await swordMaterials(w);
    const body = { recipeId: w.recipeId, entityId: w.entityId, entityType: w.entityType };
    // Only the tier-0 forge: no station can host it.
    const none = await ok(h, '/craft/query/can-craft', body);
    expect({ canCraft: none.canCraft, station: none.breakdown.stationAvailable, missing: none.missing }).toEqual({
      canCraft: false,
      station: false,
      missing: [{ kind: 'station', code: 'forge', required: null, available: null }],
    });
    await forge(w, { tier: 2, capacity: { core: 3, surrounding: 1 } });
    expect((await ok(h, '/craft/query/can-craft', body)).canCraft).toBe(true);
  });
});
