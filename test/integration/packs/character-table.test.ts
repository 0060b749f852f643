import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditItems, expectConserved } from '../../helpers/audit.js';
import { startHarness, type Harness } from '../../helpers/harness.js';
import { contentsOf, crafterWith, itemMetadata, loadPackWorld, type PackWorld } from '../../helpers/packs.js';
import { expectError, ok } from '../../helpers/world.js';

/**
 * The character-table pack (seed 001) over HTTP. travel_satchel takes 3 units tagged cloth and 2
 * tagged cord (mastery level 10). Ruleset `handcrafting`: quality starts at 100 x (0.3 x material
 * quality + 0.3 x proficiency factor); the four stages prepare, combine, refine, finish (in that
 * order) each add the reported timing x 10; `craft` (instant) rolls one score x 40 and ends it.
 * Grade by quality: common 0, uncommon 45, rare 60, epic 75, legendary 90. Crafted properties:
 * capacity = round(total cloth capacity x (0.5 + quality / 100)), weight = total weight. The
 * output's quality is quality / 100. Templates: linen capacity 4 weight 1; canvas capacity 6
 * weight 2; cord weight 0.5.
 */
let h: Harness;
let w: PackWorld;
const granted: Record<string, number> = {};

beforeAll(async () => {
  h = await startHarness();
  w = await loadPackWorld(h, 'character-table');
}, 60_000);
afterAll(async () => {
  await h?.close();
});

async function tailor(level: number, cloth: string, clothQuality: number, cordQuality: number) {
  const items = [
    { code: cloth, quantity: 3, quality: clothQuality },
    { code: 'leather_cord', quantity: 2, quality: cordQuality },
  ];
  for (const i of items) granted[i.code] = (granted[i.code] ?? 0) + i.quantity;
  const c = await crafterWith(h, w.gs, items);
  await ok(h, '/craft/proficiency/set', { gameServiceId: w.gs, entityId: c.entityId, entityType: c.entityType, domain: 'tailoring', targetValue: 10 * level * level });
  return c;
}

async function satchel(c: Awaited<ReturnType<typeof tailor>>, stages: [string, number | undefined][], extra: Record<string, unknown> = {}) {
  const started = await ok(h, '/craft/session/start', { recipeId: w.recipes.travel_satchel!, entityId: c.entityId, entityType: c.entityType, inventoryId: c.inventoryId, ...extra });
  let last: any = started;
  for (const [action, performance] of stages) {
    last = await ok(h, '/craft/session/advance', { sessionId: started.sessionId, action, ...(performance !== undefined && { performance }) });
  }
  expect(last.status).toBe('completed');
  return { started, last, metadata: await itemMetadata(h, last.outputItemIds[0]) };
}

describe('character-table pack', () => {
  it('linenAtLevel5_fourStages_aRareSatchel', async () => {
    const c = await tailor(5, 'linen_cloth', 0.8, 0.6);
    // Material quality (0.8 x 3 + 0.6 x 2) / 5 = 0.72; proficiency 5 / 10 = 0.5:
    // quality starts at 100 x (0.216 + 0.15) = 36.6; stages +10, +8, +9, +5 = 68.6: rare.
    const { started, metadata } = await satchel(
      c,
      [
        ['prepare', 1],
        ['combine', 0.8],
        ['refine', 0.9],
        ['finish', 0.5],
      ],
      { creatorSignature: '  Mira of the Loom ' },
    );
    expect(started.rules.pools).toEqual({ quality: 36.6, stage: 0 });
    expect((await ok(h, '/craft/session/get', { sessionId: started.sessionId })).session.creatorSignature).toBe('Mira of the Loom');
    expect(metadata).toMatchObject({
      quality: 0.686,
      grade: 'rare',
      // capacity round(12 x 1.186) = round(14.232) = 14; weight 3 x 1 + 2 x 0.5 = 4.
      attributes: { capacity: 14, weight: 4 },
      craftedBy: c.entityId,
      // The signature given at start, trimmed: what the game shows as "Crafted by ...".
      creatorSignature: 'Mira of the Loom',
      provenance: 'linen_cloth (T1) x3, leather_cord (T1) x2',
    });
    expect(await contentsOf(h, w.gs, c.inventoryId)).toEqual({ travel_satchel: 1 });
  });

  it('canvasAtLevel10_perfectStages_aLegendarySatchel', async () => {
    const c = await tailor(10, 'canvas_cloth', 0.9, 0.9);
    // 100 x (0.27 + 0.3) = 57; + 4 x 10 = 97: legendary.
    const { metadata } = await satchel(c, [
      ['prepare', 1],
      ['combine', 1],
      ['refine', 1],
      ['finish', 1],
    ]);
    // capacity round(18 x 1.47) = round(26.46) = 26; weight 3 x 2 + 1 = 7.
    expect(metadata).toMatchObject({ quality: 0.97, grade: 'legendary', attributes: { capacity: 26, weight: 7 } });
    // No signature given: none written.
    expect(metadata).not.toHaveProperty('creatorSignature');
  });

  it('aSignatureTooLongOrBlank_isRefused_andNothingMoves', async () => {
    const c = await tailor(5, 'linen_cloth', 0.8, 0.6);
    const base = { recipeId: w.recipes.travel_satchel!, entityId: c.entityId, entityType: c.entityType, inventoryId: c.inventoryId };
    expectError(await h.post('/craft/session/start', { ...base, creatorSignature: 'x'.repeat(65) }), 400, 'VALIDATION_FAILED');
    expectError(await h.post('/craft/session/start', { ...base, creatorSignature: '   ' }), 400, 'VALIDATION_FAILED');
    expect(await contentsOf(h, w.gs, c.inventoryId)).toEqual({ linen_cloth: 3, leather_cord: 2 });
    // The same materials then craft (they count in the audit below).
    await satchel(c, [['craft', undefined]]);
  });

  it('theInstantCraftButton_isOneRolledAction', async () => {
    const c = await tailor(5, 'linen_cloth', 0.8, 0.6);
    const { last, metadata } = await satchel(c, [['craft', undefined]]);
    // 36.6 + roll x 40, the roll from the session's seed.
    const roll = last.turn.roll as number;
    expect(last.turn.action).toBe('craft');
    expect(last.rules.pools.quality).toBeCloseTo(36.6 + roll * 40, 6);
    expect(['common', 'uncommon', 'rare', 'epic', 'legendary']).toContain(metadata.grade);
  });

  it('everyUnitIsAccountedFor', async () => {
    expectConserved(await auditItems(h, w.gs), granted);
  });
});
