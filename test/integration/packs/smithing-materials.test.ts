import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditItems, expectConserved } from '../../helpers/audit.js';
import { startHarness, type Harness } from '../../helpers/harness.js';
import { contentsOf, crafterWith, itemMetadata, loadPackWorld, type PackWorld } from '../../helpers/packs.js';
import { expectError, ok } from '../../helpers/world.js';

/**
 * The smithing pack's t1_shortsword (seed 003, "materials that matter") over HTTP. Slots:
 * `metal` (3 units of any material tagged metal, tier exactly 1), `wood` (1 unit tagged wood,
 * tier at most 1), `crystals` (optional overload, up to 5 units tagged fire). Ruleset `forging`:
 * two strikes, each adding performance x 50 to precision; the blade is forged from 40 up.
 *
 * On the sword (outcome attributes and the ruleset's `materials` section):
 * - attack = mean attack of the metal slot x (0.5 + precision / 100);
 * - durability = the wood's durability + 2 x the number of material units (the grid);
 * - weight = the metal slot's total weight;
 * - rarity on [common, uncommon, rare, epic, legendary]: round(mean + (highest - mean) x 0.5)
 *   over the indices of every unit (no rarity = common, 0);
 * - traits: fire_minor / fire_moderate / fire_major from 1 / 3 / 5 units tagged fire, then the
 *   metal slot's most common trait (at most one).
 * Templates: bronze_ingot attack 8 weight 5; wrought_iron_ingot attack 11 weight 7; steel_ingot
 * tier 2; ash_grip durability 30; pine_grip durability 18; fire_crystal tagged fire and crystal.
 */
let h: Harness;
let w: PackWorld;
const granted: Record<string, number> = {};

beforeAll(async () => {
  h = await startHarness();
  w = await loadPackWorld(h, 'smithing');
}, 60_000);
afterAll(async () => {
  await h?.close();
});

type Grant = { code: string; quantity: number; quality?: number; instanceMetadata?: Record<string, unknown> };

/** A crafter holding these items and a hammer (the recipe's tool). */
async function crafter(items: Grant[]) {
  const all = [...items, { code: 'smithing_hammer', quantity: 1, quality: 0.8 }];
  for (const i of all) granted[i.code] = (granted[i.code] ?? 0) + i.quantity;
  return crafterWith(h, w.gs, all);
}

/** Two strikes at 1.0 and 0.8: precision 50, then 90 (forged; quality 0.9). */
async function forge(body: Record<string, unknown>) {
  const started = await ok(h, '/craft/session/start', { recipeId: w.recipes.t1_shortsword!, ...body });
  await ok(h, '/craft/session/advance', { sessionId: started.sessionId, action: 'strike', performance: 1 });
  const done = await ok(h, '/craft/session/advance', { sessionId: started.sessionId, action: 'strike', performance: 0.8 });
  expect(done.rules.pools).toEqual({ precision: 90, strikes: 0 });
  expect(done.status).toBe('completed');
  expect(done.outputItemIds).toHaveLength(1);
  return { sessionId: started.sessionId as string, swordId: done.outputItemIds[0] as string };
}

describe('smithing pack: materials make the blade', () => {
  it('bronzeAndPine_theServicePicks_anUncommonBladeWithTheBronzesTrait', async () => {
    const c = await crafter([
      { code: 'bronze_ingot', quantity: 3, quality: 0.8, instanceMetadata: { rarity: 'uncommon', traits: ['tough'] } },
      { code: 'pine_grip', quantity: 1, quality: 0.6 },
    ]);
    const { swordId } = await forge({ entityId: c.entityId, entityType: c.entityType, inventoryId: c.inventoryId });
    const meta = await itemMetadata(h, swordId);
    expect(meta).toMatchObject({
      quality: 0.9,
      band: 'forged',
      // attack: bronze 8 x (0.5 + 0.9) = 11.2; durability: pine 18 + 2 x 4 units = 26; weight: 3 x 5 = 15.
      attributes: { attack: 11.2, durability: 26, weight: 15 },
      // rarity indices: 1, 1, 1 (bronze), 0 (pine): mean 0.75, highest 1 -> round(0.75 + 0.25 x 0.5) = round(0.875) = 1.
      rarity: 'uncommon',
      // no fire material; the metal's only trait.
      traits: ['tough'],
      provenance: 'Uncommon bronze_ingot (T1) x3, pine_grip (T1) x1',
      materials: [
        { slot: 'metal', itemTemplateCode: 'bronze_ingot', quantity: 3, tier: 1, rarity: 'uncommon' },
        { slot: 'wood', itemTemplateCode: 'pine_grip', quantity: 1, tier: 1, rarity: null },
      ],
      craftedBy: c.entityId,
    });
    // Everything went into the sword: only the hammer (a tool) is left.
    expect(await contentsOf(h, w.gs, c.inventoryId)).toEqual({ smithing_hammer: 1, t1_shortsword: 1 });
  });

  it('ironBronzeAshAndThreeCrystals_namedPerSlot_aRareFireBladeWithTheIronsTrait', async () => {
    const c = await crafter([
      { code: 'wrought_iron_ingot', quantity: 2, quality: 0.9, instanceMetadata: { rarity: 'rare', traits: ['keen'] } },
      { code: 'bronze_ingot', quantity: 1, quality: 0.7, instanceMetadata: { rarity: 'uncommon', traits: ['tough'] } },
      { code: 'ash_grip', quantity: 1, quality: 0.8, instanceMetadata: { rarity: 'epic' } },
      { code: 'pine_grip', quantity: 1, quality: 0.9 },
      { code: 'fire_crystal', quantity: 3 },
    ]);
    // The ash grip, though the pine one has the higher quality (the service would pick it).
    const materialsBySlot = { metal: [c.ids.wrought_iron_ingot, c.ids.bronze_ingot], wood: [c.ids.ash_grip], crystals: [c.ids.fire_crystal] };
    // The estimate with these materials, two strikes at 0.9 (precision 90, as below), shows what the sword will carry.
    const estimate = await ok(h, '/craft/query/estimate-quality', {
      recipeId: w.recipes.t1_shortsword!,
      entityId: c.entityId,
      entityType: c.entityType,
      materialItemIds: [],
      materialsBySlot,
      policy: { kind: 'sequence', actions: ['strike', 'strike'], performance: 0.9 },
      simulations: 20,
    });
    expect(estimate.rules.outputs).toEqual({
      attributes: { attack: { mean: 14, p10: 14, p50: 14, p90: 14 }, durability: { mean: 44, p10: 44, p50: 44, p90: 44 }, weight: { mean: 19, p10: 19, p50: 19, p90: 19 } },
      rarity: { rare: 1 },
      traits: { fire_moderate: 1, keen: 1 },
    });
    const { swordId } = await forge({ entityId: c.entityId, entityType: c.entityType, inventoryId: c.inventoryId, materialsBySlot });
    const meta = await itemMetadata(h, swordId);
    expect(meta).toMatchObject({
      // metal mean attack (2 x 11 + 8) / 3 = 10 -> 10 x 1.4 = 14; durability 30 + 2 x (3 + 1 + 3) = 44; weight 2 x 7 + 5 = 19.
      attributes: { attack: 14, durability: 44, weight: 19 },
      // indices 2, 2 (iron), 1 (bronze), 3 (ash), 0, 0, 0 (crystals): mean 8/7 = 1.142857, highest 3
      // -> round(1.142857 + 1.857143 x 0.5) = round(2.071429) = 2.
      rarity: 'rare',
      // 3 fire units: moderate; metal traits keen x2, tough x1: keen.
      traits: ['fire_moderate', 'keen'],
      provenance: 'Rare wrought_iron_ingot (T1) x2, Uncommon bronze_ingot (T1) x1, Epic ash_grip (T1) x1, fire_crystal (T1) x3',
    });
    // The pine grip stays; the crystals were used up as overload.
    expect(await contentsOf(h, w.gs, c.inventoryId)).toEqual({ pine_grip: 1, smithing_hammer: 1, t1_shortsword: 1 });
  });

  it('theCrafterChoosesTheInheritedTrait_amongTheMetalsOwn', async () => {
    const c = await crafter([
      { code: 'wrought_iron_ingot', quantity: 2, quality: 0.9, instanceMetadata: { rarity: 'rare', traits: ['keen'] } },
      { code: 'bronze_ingot', quantity: 1, quality: 0.7, instanceMetadata: { rarity: 'uncommon', traits: ['tough'] } },
      { code: 'ash_grip', quantity: 1, quality: 0.8, instanceMetadata: { traits: ['light'] } },
    ]);
    const base = { recipeId: w.recipes.t1_shortsword!, entityId: c.entityId, entityType: c.entityType, inventoryId: c.inventoryId };
    const before = await contentsOf(h, w.gs, c.inventoryId);
    // forging inherits 1 trait from the metal slot: keen (2 units) or tough (1); the grip's is not a candidate.
    const notOffered = await h.post('/craft/session/start', { ...base, inheritTraits: ['light'] });
    expectError(notOffered, 400, 'VALIDATION_FAILED');
    expect(notOffered.body.details).toEqual({ inheritTraits: ['light'], candidates: ['keen', 'tough'] });
    expectError(await h.post('/craft/session/start', { ...base, inheritTraits: ['keen', 'tough'] }), 400, 'VALIDATION_FAILED');
    expect(await contentsOf(h, w.gs, c.inventoryId)).toEqual(before);

    // The rule would pass keen (the most units); the crafter takes tough instead.
    const started = await ok(h, '/craft/session/start', { ...base, inheritTraits: ['tough'] });
    expect(started.rules.inheritance).toEqual({ candidates: ['keen', 'tough'], max: 1, chosen: ['tough'] });
    await ok(h, '/craft/session/advance', { sessionId: started.sessionId, action: 'strike', performance: 1 });
    const done = await ok(h, '/craft/session/advance', { sessionId: started.sessionId, action: 'strike', performance: 0.8 });
    expect((await itemMetadata(h, done.outputItemIds[0])).traits).toEqual(['tough']);

    // Or at completion: the final strike names the trait (a wrong one is refused and the strike not taken).
    const again = await crafter([
      { code: 'wrought_iron_ingot', quantity: 2, quality: 0.9, instanceMetadata: { traits: ['keen'] } },
      { code: 'bronze_ingot', quantity: 1, quality: 0.7, instanceMetadata: { traits: ['tough'] } },
      { code: 'pine_grip', quantity: 1, quality: 0.8 },
    ]);
    const second = await ok(h, '/craft/session/start', { ...base, entityId: again.entityId, inventoryId: again.inventoryId });
    expect(second.rules.inheritance).toEqual({ candidates: ['keen', 'tough'], max: 1, chosen: null });
    await ok(h, '/craft/session/advance', { sessionId: second.sessionId, action: 'strike', performance: 1 });
    const wrong = await h.post('/craft/session/advance', { sessionId: second.sessionId, action: 'strike', performance: 0.8, inheritTraits: ['sharp'] });
    expectError(wrong, 400, 'VALIDATION_FAILED');
    expect((await ok(h, '/craft/session/get', { sessionId: second.sessionId })).session.status).toBe('active');
    const last = await ok(h, '/craft/session/advance', { sessionId: second.sessionId, action: 'strike', performance: 0.8, inheritTraits: ['tough'] });
    expect(last.status).toBe('completed');
    expect((await itemMetadata(h, last.outputItemIds[0])).traits).toEqual(['tough']);
  });

  it('materialsThatDoNotFit_orAreNotTheCrafters_areRefused_andNothingMoves', async () => {
    const c = await crafter([
      { code: 'steel_ingot', quantity: 3 },
      { code: 'bronze_ingot', quantity: 3 },
      { code: 'ash_grip', quantity: 1 },
    ]);
    const other = await crafter([{ code: 'bronze_ingot', quantity: 3 }]);
    const base = { recipeId: w.recipes.t1_shortsword!, entityId: c.entityId, entityType: c.entityType, inventoryId: c.inventoryId };
    const before = await contentsOf(h, w.gs, c.inventoryId);

    // Steel is tier 2: the metal slot takes tier 1 only.
    const steel = await h.post('/craft/session/start', { ...base, materialsBySlot: { metal: [c.ids.steel_ingot] } });
    expectError(steel, 400, 'MATERIAL_DOES_NOT_FIT');
    expect(steel.body.details).toEqual({ slot: 'metal', instanceId: c.ids.steel_ingot });
    // A grip is not a metal.
    expectError(await h.post('/craft/session/start', { ...base, materialsBySlot: { metal: [c.ids.ash_grip] } }), 400, 'MATERIAL_DOES_NOT_FIT');
    // Another crafter's bronze is not in this inventory.
    expectError(await h.post('/craft/session/start', { ...base, materialsBySlot: { metal: [other.ids.bronze_ingot] } }), 400, 'MATERIAL_NOT_IN_INVENTORY');
    // No such slot.
    expectError(await h.post('/craft/session/start', { ...base, materialsBySlot: { blade: [c.ids.bronze_ingot] } }), 400, 'VALIDATION_FAILED');
    // Left to itself the service never takes the steel: bronze fits.
    const picked = await ok(h, '/craft/query/can-craft', { recipeId: base.recipeId, entityId: c.entityId, entityType: c.entityType, inventoryId: c.inventoryId });
    expect(picked.canCraft).toBe(true);

    expect(await contentsOf(h, w.gs, c.inventoryId)).toEqual(before);
    expect(await h.runtime.internals.prisma.craftSession.count({ where: { gameServiceId: w.gs, entityId: c.entityId } })).toBe(0);
  });

  it('anInstanceOfAnotherGameService_namedForASlot_isRefused_andNothingMovesOnEitherSide', async () => {
    // Another game service with a bronze of its own (same code, tags and tier) in its crafter's inventory.
    const otherGs = await h.gameService();
    await ok(h, '/dev/item/template/create', { gameServiceId: otherGs, code: 'bronze_ingot', category: 'metal', tags: ['metal'], tier: 1 });
    const outsider = await crafterWith(h, otherGs, [{ code: 'bronze_ingot', quantity: 3 }]);
    const c = await crafter([
      { code: 'bronze_ingot', quantity: 3 },
      { code: 'pine_grip', quantity: 1 },
    ]);
    const base = { recipeId: w.recipes.t1_shortsword!, entityId: c.entityId, entityType: c.entityType, inventoryId: c.inventoryId };
    const before = await contentsOf(h, w.gs, c.inventoryId);
    const refused = await h.post('/craft/session/start', { ...base, materialsBySlot: { metal: [outsider.ids.bronze_ingot] } });
    expectError(refused, 400, 'MATERIAL_NOT_IN_INVENTORY');
    const estimate = await h.post('/craft/query/estimate-quality', { ...base, materialItemIds: [], materialsBySlot: { metal: [outsider.ids.bronze_ingot] } });
    expect(estimate.status).toBe(400);
    expect(await contentsOf(h, w.gs, c.inventoryId)).toEqual(before);
    expect(await contentsOf(h, otherGs, outsider.inventoryId)).toEqual({ bronze_ingot: 3 });
    expect(await h.runtime.internals.prisma.craftSession.count({ where: { entityId: c.entityId } })).toBe(0);
  });

  it('withoutEnoughTaggedMetal_canCraftSaysWhichSlotIsShort', async () => {
    const c = await crafter([
      { code: 'bronze_ingot', quantity: 2 },
      { code: 'steel_ingot', quantity: 5 },
      { code: 'pine_grip', quantity: 1 },
    ]);
    const res = await ok(h, '/craft/query/can-craft', { recipeId: w.recipes.t1_shortsword!, entityId: c.entityId, entityType: c.entityType, inventoryId: c.inventoryId });
    expect(res.canCraft).toBe(false);
    // Two T1 metal units of three (the steel is T2); the optional crystals are never missing.
    expect(res.missing).toEqual([{ kind: 'material', code: 'tags metal (tier 1..1)', required: 3, available: 2 }]);
    const start = await h.post('/craft/session/start', { recipeId: w.recipes.t1_shortsword!, entityId: c.entityId, entityType: c.entityType, inventoryId: c.inventoryId });
    expectError(start, 400, 'MATERIALS_INSUFFICIENT');
    expect(start.body.details.shortfalls).toEqual([{ itemTemplateCode: 'tags metal (tier 1..1)', slot: 'metal', required: 3, available: 2, qualityMinimum: null }]);
  });

  it('everyUnitIsAccountedFor', async () => {
    expectConserved(await auditItems(h, w.gs), granted);
  });
});
