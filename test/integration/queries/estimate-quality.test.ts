import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from '../../helpers/harness.js';
import { expectError, forgeWorld, ok, type World } from '../../helpers/world.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h.close());

const body = (w: World, extra: Record<string, unknown> = {}) => ({
  recipeId: w.recipeId,
  entityId: w.entityId,
  entityType: w.entityType,
  materialItemIds: [] as string[],
  ...extra,
});

/** The seed's sword: ingots and strip of 0.65, level 7 of mastery 10, a 0.8 hammer and a 0.8 forge. */
async function swordWorld() {
  const w = await forgeWorld(h, { level: 7, stationQuality: 0.8 });
  const ingots = await w.grant('iron_ingot', 3, 0.65);
  const strip = await w.grant('leather_strip', 1, 0.65);
  const hammer = await w.grant('hammer', 1, 0.8);
  return { w, ingots, strip, hammer };
}

describe('query/estimate-quality', () => {
  it('estimate_seedExample_breakdownAsASessionStartAndDistributionAroundIt', async () => {
    const { w, ingots, strip, hammer } = await swordWorld();
    const res = await ok(h, '/craft/query/estimate-quality', body(w, { materialItemIds: [ingots, strip], toolItemId: hammer, stationId: w.stationId }));
    expect(res.breakdown.materialContribution).toBeCloseTo(0.195, 12);
    expect(res.breakdown.proficiencyContribution).toBeCloseTo(0.35, 12);
    expect(res.breakdown.toolContribution).toBeCloseTo(0.16, 12);
    expect(res.breakdown.estimatedQuality).toBeCloseTo(0.705, 12);
    const d = res.distribution;
    expect(d.simulations).toBe(1000);
    // Two rolled checks at proficiency 0.7: on average +0.02, always within [-0.03, +0.07].
    expect(Math.abs(d.mean - 0.725)).toBeLessThan(0.003);
    expect(d.min).toBeGreaterThanOrEqual(0.675);
    expect(d.max).toBeLessThanOrEqual(0.775);
    expect(d.min <= d.p10 && d.p10 <= d.p50 && d.p50 <= d.p90 && d.p90 <= d.max).toBe(true);
    expect(d.bandChances.low).toBe(0);
    expect(d.bandChances.medium + d.bandChances.high).toBeCloseTo(1, 12);
  });

  it('estimate_sameRequestTwice_sameAnswer_andSeedChangesTheRolls', async () => {
    const { w, ingots, strip } = await swordWorld();
    const req = body(w, { materialItemIds: [ingots, strip], simulations: 300 });
    const first = await ok(h, '/craft/query/estimate-quality', req);
    expect(await ok(h, '/craft/query/estimate-quality', req)).toEqual(first);
    expect(await ok(h, '/craft/query/estimate-quality', { ...req, seed: 0 })).toEqual(first);
    const seeded = await ok(h, '/craft/query/estimate-quality', { ...req, seed: 12345 });
    expect(seeded.breakdown).toEqual(first.breakdown);
    expect(seeded.distribution.mean).not.toBe(first.distribution.mean);
    expect(seeded.distribution.simulations).toBe(300);
  });

  it('estimate_noMaterialsNamed_materialQualityUnknown05_andHeldToolAndBestForgeUsed', async () => {
    const { w } = await swordWorld();
    await ok(h, '/craft/station/register', { gameServiceId: w.gs, stationType: 'forge', quality: 1 });
    const res = await ok(h, '/craft/query/estimate-quality', body(w));
    expect(res.breakdown.materialContribution).toBeCloseTo(0.15, 12);
    // The 0.8 hammer held, averaged with the best active forge (1.0).
    expect(res.breakdown.toolContribution).toBeCloseTo(0.2 * 0.9, 12);
  });

  it('estimate_namedToolOverridesTheBestHeld', async () => {
    const { w, ingots, strip } = await swordWorld();
    const worse = await w.grant('hammer', 1, 0.4);
    const res = await ok(h, '/craft/query/estimate-quality', body(w, { materialItemIds: [ingots, strip], toolItemId: worse, stationId: w.stationId }));
    expect(res.breakdown.toolContribution).toBeCloseTo(0.2 * 0.6, 12);
  });

  it('estimate_partialMaterials_qualityOfWhatIsNamed', async () => {
    const { w } = await swordWorld();
    const good = await w.grant('iron_ingot', 1, 0.9);
    const res = await ok(h, '/craft/query/estimate-quality', body(w, { materialItemIds: [good], stationId: w.stationId }));
    expect(res.breakdown.materialContribution).toBeCloseTo(0.3 * 0.9, 12);
  });

  it('estimate_readOnly_inventoryAndSessionsUnchanged', async () => {
    const { w, ingots, strip, hammer } = await swordWorld();
    const before = await w.contents();
    await ok(h, '/craft/query/estimate-quality', body(w, { materialItemIds: [ingots, strip], toolItemId: hammer, stationId: w.stationId }));
    expect(await w.contents()).toEqual(before);
    const sessions = await ok(h, '/craft/session/list', { entityId: w.entityId, entityType: w.entityType, includeFinished: true });
    expect(sessions.items).toEqual([]);
  });

  it('estimate_unknownItemsStationOrRecipe_404s', async () => {
    const { w, ingots } = await swordWorld();
    expectError(await h.post('/craft/query/estimate-quality', body(w, { materialItemIds: [ingots, randomUUID()] })), 404, 'ITEM_NOT_FOUND');
    expectError(await h.post('/craft/query/estimate-quality', body(w, { toolItemId: randomUUID() })), 404, 'ITEM_NOT_FOUND');
    expectError(await h.post('/craft/query/estimate-quality', body(w, { stationId: randomUUID() })), 404, 'STATION_NOT_FOUND');
    expectError(await h.post('/craft/query/estimate-quality', body(w, { recipeId: randomUUID() })), 404, 'RECIPE_NOT_FOUND');
    expectError(await h.post('/craft/query/estimate-quality', body(w, { simulations: 10_001 })), 400, 'VALIDATION_FAILED');
  });
});
