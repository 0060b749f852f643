import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditItems, expectConserved } from '../../helpers/audit.js';
import { startHarness, type Harness } from '../../helpers/harness.js';
import { contentsOf, crafterWith, loadPackWorld, type PackWorld } from '../../helpers/packs.js';
import { expectError, ok } from '../../helpers/world.js';

/**
 * Elemental fusion at a refinery (seed 003 refining): fuse_steel puts 2 units tagged steel in the
 * station's `core` slots and, optionally, one fire or frost material in a `surrounding` slot; it
 * needs a refinery of tier 1 or more. The cylinder lock (2 cylinders here) is played by the
 * refining ruleset; on success its variants make the output fire steel or frost steel when the
 * materials carry the element, else plain steel.
 */
let h: Harness;
let w: PackWorld;
let refinery: string;
const granted: Record<string, number> = {};

beforeAll(async () => {
  h = await startHarness({ CRAFT_MAX_ACTIVE_SESSIONS_PER_ENTITY: '10' });
  w = await loadPackWorld(h, 'refining');
  refinery = (await ok(h, '/craft/station/register', { gameServiceId: w.gs, stationType: 'refinery', quality: 0.6, tier: 1, capacity: { core: 2, surrounding: 2 } })).station.stationId;
}, 60_000);
afterAll(async () => {
  await h?.close();
});

async function refiner(items: { code: string; quantity: number }[]) {
  for (const i of items) granted[i.code] = (granted[i.code] ?? 0) + i.quantity;
  return crafterWith(h, w.gs, items);
}

async function fuse(c: Awaited<ReturnType<typeof refiner>>, extra: Record<string, unknown>, stationId = refinery) {
  const started = await h.post('/craft/session/start', { recipeId: w.recipes.fuse_steel!, entityId: c.entityId, entityType: c.entityType, inventoryId: c.inventoryId, stationId, ...extra });
  if (started.status !== 200) return started;
  const sessionId = started.body.sessionId as string;
  await ok(h, '/craft/session/advance', { sessionId, action: 'align', performance: 1 });
  return { status: 200, body: await ok(h, '/craft/session/advance', { sessionId, action: 'align', performance: 1 }) };
}

describe('refining pack: fusion at a refinery', () => {
  it('steelAndAFireCrystal_fuseIntoFireSteel_steelAlone_staysSteel', async () => {
    const fire = await refiner([
      { code: 'steel_ingot', quantity: 2 },
      { code: 'fire_crystal', quantity: 1 },
    ]);
    const fused = await fuse(fire, { materialsBySlot: { element: [fire.ids.fire_crystal] } });
    expect(fused.body.status).toBe('completed');
    expect(fused.body.rules.outcomes[0]).toMatchObject({ success: true, variant: 'fire_steel_ingot' });
    expect(await contentsOf(h, w.gs, fire.inventoryId)).toEqual({ fire_steel_ingot: 1 });

    // Without naming the element, the optional slot stays empty: plain steel, the crystal kept.
    const plain = await refiner([
      { code: 'steel_ingot', quantity: 2 },
      { code: 'frost_crystal', quantity: 1 },
    ]);
    expect((await fuse(plain, {})).body.status).toBe('completed');
    expect(await contentsOf(h, w.gs, plain.inventoryId)).toEqual({ steel_ingot: 1, frost_crystal: 1 });
  });

  it('aRefineryTooSmallOrTooLow_isRefused_andNothingMoves', async () => {
    const c = await refiner([
      { code: 'steel_ingot', quantity: 2 },
      { code: 'frost_crystal', quantity: 1 },
    ]);
    const small = (await ok(h, '/craft/station/register', { gameServiceId: w.gs, stationType: 'refinery', quality: 0.9, tier: 3, capacity: { core: 1, surrounding: 4 } })).station.stationId;
    const low = (await ok(h, '/craft/station/register', { gameServiceId: w.gs, stationType: 'refinery', quality: 0.9 })).station.stationId;
    const cramped = await fuse(c, {}, small);
    expectError(cramped as never, 400, 'STATION_NOT_AVAILABLE');
    expect(cramped.body.details).toMatchObject({ reason: 'capacity', kind: 'core', required: 2, capacity: 1 });
    expect((await fuse(c, {}, low)).body.details).toMatchObject({ reason: 'tier', required: 1, tier: 0 });
    expect(await contentsOf(h, w.gs, c.inventoryId)).toEqual({ steel_ingot: 2, frost_crystal: 1 });
    // The frost crystal named: frost steel.
    const frosted = await fuse(c, { materialsBySlot: { element: [c.ids.frost_crystal] } });
    expect(frosted.body.rules.outcomes[0].variant).toBe('frost_steel_ingot');
  });

  it('everyUnitIsAccountedFor', async () => {
    expectConserved(await auditItems(h, w.gs), granted);
  });
});
