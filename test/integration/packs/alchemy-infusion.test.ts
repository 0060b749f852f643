import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditItems, expectConserved } from '../../helpers/audit.js';
import { startHarness, type Harness } from '../../helpers/harness.js';
import { contentsOf, crafterWith, itemMetadata, loadPackWorld, type PackWorld } from '../../helpers/packs.js';
import { expectError, ok } from '../../helpers/world.js';

/**
 * The alchemy pack's infusion (seed 003: the order of the ingredients matters). vigor_tonic takes
 * spring_water (base), one material tagged herb and one tagged catalyst; each ingredient goes in by
 * its own action. Pools: potency 0, heat 1 (max 3), herb and catalyst flags. add_herb adds the
 * herb's potency stat x heat; add_catalyst multiplies the pot by 1 + its potency / 10 when the herb
 * is in, else adds its potency; bottle ends the brew. Bands on min(100, potency): <25 failure, 25
 * weak x0.5, 50 standard x1, 75 potent x1.5, 90 perfect x2, on 2 tonics. Rarity (capped): the
 * mean input rarity + 1 from 75, + 2 from 90, never above the best ingredient's.
 * Templates: moonpetal potency 10, sunleaf potency 20 (herbs), glowcap potency 5 (catalyst).
 */
let h: Harness;
let w: PackWorld;
let stationId: string;
const granted: Record<string, number> = {};

beforeAll(async () => {
  h = await startHarness({ CRAFT_STATION_EXCLUSIVITY: 'false', CRAFT_MAX_ACTIVE_SESSIONS_PER_ENTITY: '10' });
  w = await loadPackWorld(h, 'alchemy');
  stationId = (await ok(h, '/craft/station/register', { gameServiceId: w.gs, stationType: 'cauldron', quality: 0.7 })).stationId;
}, 60_000);
afterAll(async () => {
  await h?.close();
});

type Grant = { code: string; quantity: number; instanceMetadata?: Record<string, unknown> };

async function alchemist(herb: Grant) {
  const items: Grant[] = [{ code: 'spring_water', quantity: 1 }, herb, { code: 'glowcap', quantity: 1, instanceMetadata: { rarity: 'uncommon' } }];
  for (const i of items) granted[i.code] = (granted[i.code] ?? 0) + i.quantity;
  return crafterWith(h, w.gs, items);
}

/** Plays the actions, checking the pools after each; answers the last advance. */
async function infuse(c: Awaited<ReturnType<typeof alchemist>>, herb: string, script: [string, Record<string, number>][]) {
  const started = await ok(h, '/craft/session/start', {
    recipeId: w.recipes.vigor_tonic!,
    entityId: c.entityId,
    entityType: c.entityType,
    inventoryId: c.inventoryId,
    stationId,
    materialsBySlot: { herb: [c.ids[herb]], catalyst: [c.ids.glowcap] },
  });
  let last: Record<string, any> = {};
  for (const [action, pools] of script) {
    last = await ok(h, '/craft/session/advance', { sessionId: started.sessionId, action });
    expect({ action, pools: last.rules.pools }).toEqual({ action, pools });
  }
  return last;
}

describe('alchemy pack: an infusion, one ingredient per action', () => {
  it('herbThenCatalyst_beatsCatalystThenHerb_withTheSameMaterials', async () => {
    const first = await alchemist({ code: 'moonpetal', quantity: 1 });
    const herbFirst = await infuse(first, 'moonpetal', [
      ['heat', { potency: 0, heat: 2, herb: 0, catalyst: 0 }],
      ['heat', { potency: 0, heat: 3, herb: 0, catalyst: 0 }],
      ['add_herb', { potency: 30, heat: 3, herb: 1, catalyst: 0 }], // moonpetal 10 x heat 3
      ['add_catalyst', { potency: 45, heat: 3, herb: 1, catalyst: 1 }], // 30 x (1 + 5 / 10)
      ['bottle', { potency: 45, heat: 3, herb: 1, catalyst: 1 }],
    ]);
    expect(herbFirst.status).toBe('completed');
    // 45: weak, 2 x 0.5 = 1 tonic.
    expect(herbFirst.outputItemIds).toHaveLength(1);
    expect(await itemMetadata(h, herbFirst.outputItemIds[0])).toMatchObject({
      band: 'weak',
      attributes: { potency: 45 },
      // indices water 0, moonpetal 0 (none), glowcap 1: mean 1/3, + 0 below 75 -> 0.
      rarity: 'common',
    });
    expect(await contentsOf(h, w.gs, first.inventoryId)).toEqual({ vigor_tonic: 1 });

    const second = await alchemist({ code: 'moonpetal', quantity: 1 });
    const catalystFirst = await infuse(second, 'moonpetal', [
      ['add_catalyst', { potency: 5, heat: 1, herb: 0, catalyst: 1 }], // an empty pot: + 5
      ['heat', { potency: 5, heat: 2, herb: 0, catalyst: 1 }],
      ['heat', { potency: 5, heat: 3, herb: 0, catalyst: 1 }],
      ['add_herb', { potency: 35, heat: 3, herb: 1, catalyst: 1 }], // 5 + 10 x 3
      ['bottle', { potency: 35, heat: 3, herb: 1, catalyst: 1 }],
    ]);
    expect(await itemMetadata(h, catalystFirst.outputItemIds[0])).toMatchObject({ band: 'weak', attributes: { potency: 35 } });
  });

  it('aRareSunleaf_makesAPerfectBrew_whoseRarityStopsAtTheBestIngredient', async () => {
    const c = await alchemist({ code: 'sunleaf', quantity: 1, instanceMetadata: { rarity: 'rare' } });
    const done = await infuse(c, 'sunleaf', [
      ['heat', { potency: 0, heat: 2, herb: 0, catalyst: 0 }],
      ['heat', { potency: 0, heat: 3, herb: 0, catalyst: 0 }],
      ['add_herb', { potency: 60, heat: 3, herb: 1, catalyst: 0 }], // sunleaf 20 x 3
      ['add_catalyst', { potency: 90, heat: 3, herb: 1, catalyst: 1 }], // 60 x 1.5
      ['bottle', { potency: 90, heat: 3, herb: 1, catalyst: 1 }],
    ]);
    // 90: perfect, 2 x 2 = 4 tonics.
    expect(await contentsOf(h, w.gs, c.inventoryId)).toEqual({ vigor_tonic: 4 });
    expect(await itemMetadata(h, done.outputItemIds[0])).toMatchObject({
      band: 'perfect',
      grade: 'Perfect',
      attributes: { potency: 90 },
      // indices water 0, sunleaf 2, glowcap 1: mean 1, + 2 from 90 = 3 (epic), capped at sunleaf's 2: rare.
      rarity: 'rare',
      provenance: 'spring_water x1, Rare sunleaf x1, Uncommon glowcap x1',
    });
  });

  it('bottlingBeforeBothIngredients_isRefused_andAHerbTwice_too', async () => {
    const c = await alchemist({ code: 'moonpetal', quantity: 1 });
    const started = await ok(h, '/craft/session/start', { recipeId: w.recipes.vigor_tonic!, entityId: c.entityId, entityType: c.entityType, inventoryId: c.inventoryId, stationId });
    expectError(await h.post('/craft/session/advance', { sessionId: started.sessionId, action: 'bottle' }), 409, 'ACTION_NOT_AVAILABLE');
    await ok(h, '/craft/session/advance', { sessionId: started.sessionId, action: 'add_herb' });
    expectError(await h.post('/craft/session/advance', { sessionId: started.sessionId, action: 'add_herb' }), 409, 'ACTION_NOT_AVAILABLE');
    await ok(h, '/craft/session/cancel', { sessionId: started.sessionId });
    expect(await contentsOf(h, w.gs, c.inventoryId)).toEqual({ spring_water: 1, moonpetal: 1, glowcap: 1 });
  });

  it('theOutputPreview_showsWhatTheTonicsCanCarry_bandByBand', async () => {
    const preview = await ok(h, '/craft/query/output-preview', { recipeId: w.recipes.vigor_tonic! });
    expect(preview.rules).toEqual({
      ruleset: { code: 'infusion', version: 1 },
      mode: 'bands',
      // 2 tonics x the band's multiplier, rounded down; nothing on the failure band.
      bands: [
        { name: 'failure', minScore: 0, success: false, grade: 'Failed', traits: [], outputs: [{ itemTemplateCode: 'vigor_tonic', quantity: 0 }] },
        { name: 'weak', minScore: 25, success: true, grade: 'Weak', traits: [], outputs: [{ itemTemplateCode: 'vigor_tonic', quantity: 1 }] },
        { name: 'standard', minScore: 50, success: true, grade: 'Standard', traits: [], outputs: [{ itemTemplateCode: 'vigor_tonic', quantity: 2 }] },
        { name: 'potent', minScore: 75, success: true, grade: 'Potent', traits: [], outputs: [{ itemTemplateCode: 'vigor_tonic', quantity: 3 }] },
        { name: 'perfect', minScore: 90, success: true, grade: 'Perfect', traits: [], outputs: [{ itemTemplateCode: 'vigor_tonic', quantity: 4 }] },
      ],
      quantitiesScaled: false,
      attributes: ['potency'],
      grades: [],
      rarity: { scale: ['common', 'uncommon', 'rare', 'epic', 'legendary'], mode: 'capped' },
      tagTraits: [],
      inheritedTraits: null,
      variants: [],
      mayBreakTarget: false,
    });
  });

  it('everyUnitIsAccountedFor', async () => {
    expectConserved(await auditItems(h, w.gs), granted);
  });
});
