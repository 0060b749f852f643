import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditItems, expectConserved } from '../../helpers/audit.js';
import { startHarness, type Harness } from '../../helpers/harness.js';
import { contentsOf, crafterWith, itemMetadata, loadPackWorld, type PackWorld } from '../../helpers/packs.js';
import { expectError, ok } from '../../helpers/world.js';

/**
 * Bench tiers gate weapon types (seed 003 smithing): t1_dagger needs a smithing bench of tier 1
 * or more, t2_greatsword one of tier 2 or more (a higher tier crafts every lower recipe). Both
 * play the forging ruleset: two strikes add 50 x timing to precision; attack = the metal slot's
 * mean attack x (0.5 + precision / 100), durability = the wood's durability + 2 x every unit of
 * material (the grid), weight = the metal's total weight; fire crystals give fire traits by count.
 * Templates: bronze attack 8 weight 5 (T1), wrought iron 11 / 7 (T1), steel 16 / 7 (T2); pine
 * durability 18, ash 30.
 */
let h: Harness;
let w: PackWorld;
let tier1: string;
let tier2: string;
const granted: Record<string, number> = {};

beforeAll(async () => {
  h = await startHarness({ CRAFT_STATION_EXCLUSIVITY: 'false' });
  w = await loadPackWorld(h, 'smithing');
  const bench = async (tier: number) => (await ok(h, '/craft/station/register', { gameServiceId: w.gs, stationType: 'smithing_bench', quality: 0.6, tier })).stationId as string;
  tier1 = await bench(1);
  tier2 = await bench(2);
}, 60_000);
afterAll(async () => {
  await h?.close();
});

type Grant = { code: string; quantity: number; instanceMetadata?: Record<string, unknown> };

async function smith(items: Grant[]) {
  const all = [...items, { code: 'smithing_hammer', quantity: 1 }];
  for (const i of all) granted[i.code] = (granted[i.code] ?? 0) + i.quantity;
  return crafterWith(h, w.gs, all);
}

const start = (c: Awaited<ReturnType<typeof smith>>, recipe: string, stationId: string, extra: Record<string, unknown> = {}) =>
  h.post('/craft/session/start', { recipeId: w.recipes[recipe]!, entityId: c.entityId, entityType: c.entityType, inventoryId: c.inventoryId, stationId, ...extra });

/** Strikes at 1.0 and 0.8: precision 90, so attack = the metal's mean attack x 1.4. */
async function forge(c: Awaited<ReturnType<typeof smith>>, recipe: string, stationId: string, extra: Record<string, unknown> = {}) {
  const started = await start(c, recipe, stationId, extra);
  expect(started.status, JSON.stringify(started.body)).toBe(200);
  await ok(h, '/craft/session/advance', { sessionId: started.body.sessionId, action: 'strike', performance: 1 });
  const done = await ok(h, '/craft/session/advance', { sessionId: started.body.sessionId, action: 'strike', performance: 0.8 });
  expect(done.status).toBe('completed');
  return itemMetadata(h, done.outputItemIds[0]);
}

describe('smithing pack: bench tiers gate the weapon types', () => {
  it('aTier1Bench_forgesADagger_butRefusesAGreatsword_andNothingMoves', async () => {
    const c = await smith([
      { code: 'bronze_ingot', quantity: 2 },
      { code: 'pine_grip', quantity: 1 },
      { code: 'steel_ingot', quantity: 6 },
      { code: 'ash_grip', quantity: 2 },
    ]);
    const refused = await start(c, 't2_greatsword', tier1);
    expectError(refused, 400, 'STATION_NOT_AVAILABLE');
    expect(refused.body.details).toMatchObject({ reason: 'tier', required: 2, tier: 1 });
    expect(await contentsOf(h, w.gs, c.inventoryId)).toEqual({ bronze_ingot: 2, pine_grip: 1, steel_ingot: 6, ash_grip: 2, smithing_hammer: 1 });

    const dagger = await forge(c, 't1_dagger', tier1, { materialsBySlot: { metal: [c.ids.bronze_ingot], wood: [c.ids.pine_grip] } });
    // attack 8 x 1.4 = 11.2; durability 18 + 2 x 3 units = 24; weight 2 x 5 = 10.
    expect(dagger).toMatchObject({ attributes: { attack: 11.2, durability: 24, weight: 10 } });
  });

  it('aTier2Bench_forgesGreatswords_whoseStatsComeFromTheChosenMaterials_andDaggersToo', async () => {
    const steel = await smith([
      { code: 'steel_ingot', quantity: 6 },
      { code: 'ash_grip', quantity: 2 },
    ]);
    // attack 16 x 1.4 = 22.4; durability 30 + 2 x 8 units = 46; weight 6 x 7 = 42.
    const plain = await forge(steel, 't2_greatsword', tier2);
    expect(plain).toMatchObject({ attributes: { attack: 22.4, durability: 46, weight: 42 } });
    // No fire material, no trait on the steel: none on the blade.
    expect(plain).not.toHaveProperty('traits');
    expect(await contentsOf(h, w.gs, steel.inventoryId)).toEqual({ smithing_hammer: 1, t2_greatsword: 1 });

    const iron = await smith([
      { code: 'wrought_iron_ingot', quantity: 6 },
      { code: 'pine_grip', quantity: 2 },
      { code: 'fire_crystal', quantity: 5 },
    ]);
    const fiery = await forge(iron, 't2_greatsword', tier2, { materialsBySlot: { crystals: [iron.ids.fire_crystal] } });
    // attack 11 x 1.4 = 15.4; durability 18 + 2 x 13 units = 44; weight 6 x 7 = 42; five fire units: major.
    expect(fiery).toMatchObject({ attributes: { attack: 15.4, durability: 44, weight: 42 }, traits: ['fire_major'] });

    const small = await smith([
      { code: 'wrought_iron_ingot', quantity: 2 },
      { code: 'ash_grip', quantity: 1 },
    ]);
    // A higher tier crafts the lower recipe: attack 11 x 1.4 = 15.4; durability 30 + 2 x 3 = 36; weight 14.
    expect(await forge(small, 't1_dagger', tier2)).toMatchObject({ attributes: { attack: 15.4, durability: 36, weight: 14 } });
  });

  it('theOutputPreview_showsTheAttributesAndTheTraitsMaterialsGive', async () => {
    const { rules } = await ok(h, '/craft/query/output-preview', { recipeId: w.recipes.t2_greatsword! });
    expect(rules).toMatchObject({
      ruleset: { code: 'forging' },
      attributes: ['attack', 'durability', 'weight'],
      rarity: { mode: 'gradient' },
      tagTraits: [{ tag: 'fire', levels: [{ min: 1, trait: 'fire_minor' }, { min: 3, trait: 'fire_moderate' }, { min: 5, trait: 'fire_major' }] }],
      inheritedTraits: { max: 1, slots: ['metal'] },
      mayBreakTarget: false,
    });
    expect(rules.bands.map((b: { name: string; outputs: unknown }) => [b.name, b.outputs])).toEqual([
      ['cracked', [{ itemTemplateCode: 't2_greatsword', quantity: 0 }]],
      ['forged', [{ itemTemplateCode: 't2_greatsword', quantity: 1 }]],
    ]);
  });

  it('everyUnitIsAccountedFor', async () => {
    expectConserved(await auditItems(h, w.gs), granted);
  });
});
