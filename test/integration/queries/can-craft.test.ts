import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from '../../helpers/harness.js';
import { expectError, forgeWorld, newCrafter, ok, swordMaterials, type World } from '../../helpers/world.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h.close());

const body = (w: World, extra: Record<string, unknown> = {}) => ({
  recipeId: w.recipeId,
  entityId: w.entityId,
  entityType: w.entityType,
  ...extra,
});

describe('query/can-craft', () => {
  it('canCraft_everythingAtHand_trueWithNothingMissing', async () => {
    const w = await forgeWorld(h);
    await swordMaterials(w);
    const res = await ok(h, '/craft/query/can-craft', body(w, { inventoryId: w.inventoryId, stationId: w.stationId }));
    expect(res).toEqual({
      canCraft: true,
      breakdown: { recipeKnown: true, proficiencyMet: true, materialsAvailable: true, currencyAvailable: true, stationAvailable: true, toolAvailable: true },
      missing: [],
    });
    // Without inventory and station: the entity's inventory and any active forge of the game service.
    expect((await ok(h, '/craft/query/can-craft', body(w))).canCraft).toBe(true);
    // Read-only: nothing moved.
    expect(await w.contents()).toEqual({ iron_ingot: 3, leather_strip: 1, hammer: 1 });
  });

  it('canCraft_lackingEverything_reportsEachConditionAndWhatIsMissing', async () => {
    const w = await forgeWorld(h, {
      level: 1,
      recipe: { isDefaultKnown: false, currencyCosts: [{ currencyCode: 'gold', amount: 10 }] },
    });
    await w.grant('iron_ingot', 2, 0.65);
    await ok(h, '/craft/station/deregister', { stationId: w.stationId });
    const res = await ok(h, '/craft/query/can-craft', body(w));
    expect(res.canCraft).toBe(false);
    expect(res.breakdown).toEqual({
      recipeKnown: false,
      proficiencyMet: false,
      materialsAvailable: false,
      currencyAvailable: false,
      stationAvailable: false,
      toolAvailable: false,
    });
    const missing = Object.fromEntries(res.missing.map((m: any) => [`${m.kind}:${m.code}`, [m.required, m.available]]));
    expect(missing).toEqual({
      'knowledge:forge_iron_sword': [null, null],
      'proficiency:blacksmithing': [3, 1],
      'material:iron_ingot': [3, 2],
      'material:leather_strip': [1, 0],
      'tool:hammer': [null, null],
      'station:forge': [null, null],
      'currency:gold': [10, 0],
    });
  });

  it('canCraft_namedStationDeregistered_stationUnavailable', async () => {
    const w = await forgeWorld(h);
    await swordMaterials(w);
    await ok(h, '/craft/station/deregister', { stationId: w.stationId });
    const res = await ok(h, '/craft/query/can-craft', body(w, { stationId: w.stationId }));
    expect(res.breakdown.stationAvailable).toBe(false);
    expect(res.missing).toEqual([{ kind: 'station', code: 'forge', required: null, available: null }]);
  });

  it('canCraft_materialTakenAsMaterial_isNotAlsoTheTool', async () => {
    // A recipe whose input is a hammer and whose step needs a hammer: one hammer is not enough.
    const w = await forgeWorld(h, {
      recipe: { inputs: [{ itemTemplateCode: 'hammer', quantity: 1 }], steps: [{ code: 'a', name: 'A', toolCategory: 'hammer' }] },
    });
    await w.grant('hammer', 1, 0.8);
    const one = await ok(h, '/craft/query/can-craft', body(w));
    expect(one.breakdown).toMatchObject({ materialsAvailable: true, toolAvailable: false });
    await w.grant('hammer', 1, 0.5);
    expect((await ok(h, '/craft/query/can-craft', body(w))).canCraft).toBe(true);
  });

  it('canCraft_unknownRecipe_404RecipeNotFound', async () => {
    const w = await forgeWorld(h);
    expectError(await h.post('/craft/query/can-craft', body(w, { recipeId: randomUUID() })), 404, 'RECIPE_NOT_FOUND');
  });

  it('canCraft_someoneElsesInventory_404InventoryNotFound', async () => {
    const w = await forgeWorld(h);
    const other = await newCrafter(h, w.gs);
    expectError(await h.post('/craft/query/can-craft', body(w, { inventoryId: other.inventoryId })), 404, 'INVENTORY_NOT_FOUND');
    expectError(await h.post('/craft/query/can-craft', body(w, { inventoryId: randomUUID() })), 404, 'INVENTORY_NOT_FOUND');
  });

  it('canCraft_unknownStationOrAnotherGameServices_404StationNotFound', async () => {
    const w = await forgeWorld(h);
    expectError(await h.post('/craft/query/can-craft', body(w, { stationId: randomUUID() })), 404, 'STATION_NOT_FOUND');
    const elsewhere = await forgeWorld(h);
    expectError(await h.post('/craft/query/can-craft', body(w, { stationId: elsewhere.stationId })), 404, 'STATION_NOT_FOUND');
  });

  it('canCraft_deprecatedRecipe_false', async () => {
    const w = await forgeWorld(h);
    await swordMaterials(w);
    await ok(h, '/craft/recipe/deprecate', { recipeId: w.recipeId });
    expect((await ok(h, '/craft/query/can-craft', body(w))).canCraft).toBe(false);
  });

  it('canCraft_andStart_applyTheSameRules_oneLackingThingAtATime', async () => {
    // Each world lacks exactly one thing: can-craft names it, and a start is refused for it.
    const cases: { lacks: string; setup: () => Promise<World>; error: string }[] = [
      { lacks: 'knowledge', error: 'RECIPE_NOT_KNOWN', setup: async () => withMaterials(await forgeWorld(h, { recipe: { isDefaultKnown: false } })) },
      { lacks: 'proficiency', error: 'PROFICIENCY_TOO_LOW', setup: async () => withMaterials(await forgeWorld(h, { level: 2 })) },
      {
        lacks: 'material',
        error: 'MATERIALS_INSUFFICIENT',
        setup: async () => {
          const w = await forgeWorld(h);
          await w.grant('iron_ingot', 2, 0.65);
          await w.grant('leather_strip', 1, 0.65);
          await w.grant('hammer', 1, 0.8);
          return w;
        },
      },
      {
        lacks: 'tool',
        error: 'TOOL_NOT_AVAILABLE',
        setup: async () => {
          const w = await forgeWorld(h);
          await w.grant('iron_ingot', 3, 0.65);
          await w.grant('leather_strip', 1, 0.65);
          return w;
        },
      },
      { lacks: 'currency', error: 'INSUFFICIENT_FUNDS', setup: async () => withMaterials(await forgeWorld(h, { recipe: { currencyCosts: [{ currencyCode: 'gold', amount: 10 }] } })) },
    ];
    for (const c of cases) {
      const w = await c.setup();
      const res = await ok(h, '/craft/query/can-craft', body(w, { inventoryId: w.inventoryId, stationId: w.stationId }));
      expect({ lacks: c.lacks, canCraft: res.canCraft, missing: res.missing.map((m: any) => m.kind) }).toEqual({ lacks: c.lacks, canCraft: false, missing: [c.lacks] });
      const start = await h.post('/craft/session/start', { ...body(w), inventoryId: w.inventoryId, stationId: w.stationId });
      expect({ lacks: c.lacks, code: start.body.code }).toEqual({ lacks: c.lacks, code: c.error });
    }
    // Nothing lacking: both say yes.
    const w = await withMaterials(await forgeWorld(h));
    expect((await ok(h, '/craft/query/can-craft', body(w, { inventoryId: w.inventoryId, stationId: w.stationId }))).canCraft).toBe(true);
    expect((await h.post('/craft/session/start', { ...body(w), inventoryId: w.inventoryId, stationId: w.stationId })).status).toBe(200);
  });
});

async function withMaterials(w: World): Promise<World> {
  await swordMaterials(w);
  return w;
}
