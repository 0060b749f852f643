import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditItems, expectConserved } from '../../helpers/audit.js';
import { startHarness, type Harness } from '../../helpers/harness.js';
import { contentsOf, crafterWith, loadPackWorld, type PackWorld } from '../../helpers/packs.js';
import { ok } from '../../helpers/world.js';

/**
 * The enchanting pack (seed 003) over HTTP: enchant_fire_suffix (a modification) takes a key gem
 * (`key` slot: anything tagged key) and 2 connector wire (`connector` slot), needs a focus, and
 * adds a random fire suffix to a sword. Ruleset `enchanting`: each `channel` adds performance x 40
 * power (0..100); `seal` (after a channel) ends it. Below 35 power it fizzles: every reagent is
 * lost (loss 1), and with a key of tier 3 or more the sword breaks (`breaksTarget`). From 35 the
 * sword gains the affix and comes back.
 */
let h: Harness;
let w: PackWorld;
const granted: Record<string, number> = {};

beforeAll(async () => {
  h = await startHarness();
  w = await loadPackWorld(h, 'enchanting');
}, 60_000);
afterAll(async () => {
  await h?.close();
});

async function enchanter(key: 'ruby_key' | 'star_ruby_key') {
  const items = [
    { code: 'steel_blade', quantity: 1 },
    { code: key, quantity: 1 },
    { code: 'silver_wire', quantity: 2 },
    { code: 'enchanting_focus', quantity: 1 },
  ];
  for (const i of items) granted[i.code] = (granted[i.code] ?? 0) + i.quantity;
  return crafterWith(h, w.gs, items);
}

/** Channels at these performances, then seals; answers the last advance. */
async function enchant(c: Awaited<ReturnType<typeof enchanter>>, performances: number[]) {
  const { sessionId } = await ok(h, '/craft/session/start', {
    recipeId: w.recipes.enchant_fire_suffix!,
    entityId: c.entityId,
    entityType: c.entityType,
    inventoryId: c.inventoryId,
    targetItemId: c.ids.steel_blade,
  });
  for (const performance of performances) await ok(h, '/craft/session/advance', { sessionId, action: 'channel', performance });
  const sealed = await ok(h, '/craft/session/advance', { sessionId, action: 'seal' });
  return { sessionId: sessionId as string, sealed };
}

const bladeRow = (id: string) => h.runtime.internals.prisma.stubItemInstance.findUniqueOrThrow({ where: { id } });

describe('enchanting pack', () => {
  it('aFizzleWithALowTierKey_losesTheReagents_andTheSwordComesBack', async () => {
    const c = await enchanter('ruby_key');
    // 0.3 x 40 = 12 power < 35: fizzled.
    const { sealed } = await enchant(c, [0.3]);
    expect(sealed.rules.pools).toEqual({ power: 12 });
    expect(sealed.status).toBe('failed');
    expect(sealed.rules.outcomes).toEqual([expect.objectContaining({ band: 'fizzled', success: false, loss: 1 })]);
    expect(sealed.rules.outcomes[0].breaksTarget).toBeUndefined();
    expect(await contentsOf(h, w.gs, c.inventoryId)).toEqual({ steel_blade: 1, enchanting_focus: 1 });
    expect((await bladeRow(c.ids.steel_blade!)).destroyedAt).toBeNull();
  });

  it('aFizzleWithATier3Key_breaksTheSword_onceAndForAll', async () => {
    const c = await enchanter('star_ruby_key');
    const before = await auditItems(h, w.gs);
    // 0.5 x 40 = 20 < 35: fizzled, and the star ruby key is tier 3: the sword breaks.
    const { sessionId, sealed } = await enchant(c, [0.5]);
    expect(sealed.status).toBe('failed');
    expect(sealed.rules.outcomes[0]).toMatchObject({ band: 'fizzled', breaksTarget: true });
    expect(sealed.rules.awaitingRetry).toBe(false);
    const session = (await ok(h, '/craft/session/get', { sessionId })).session;
    expect(session.failureReason).toContain('the target item broke');
    expect(await contentsOf(h, w.gs, c.inventoryId)).toEqual({ enchanting_focus: 1 });
    expect((await bladeRow(c.ids.steel_blade!)).destroyReason).toBe('Destroyed');
    const after = await auditItems(h, w.gs);
    // The sword destroyed once; the key and both wires consumed.
    expect(after.steel_blade!.destroyed - (before.steel_blade?.destroyed ?? 0)).toBe(1);
    expect(after.star_ruby_key!.consumed - (before.star_ruby_key?.consumed ?? 0)).toBe(1);
    expect(after.silver_wire!.consumed - (before.silver_wire?.consumed ?? 0)).toBe(2);
  });

  it('aStrongEnchantment_givesTheSwordAFireSuffix_andReturnsIt', async () => {
    const c = await enchanter('star_ruby_key');
    // 1.0 x 40 twice = 80 power: enchanted.
    const { sealed } = await enchant(c, [1, 1]);
    expect(sealed.status).toBe('completed');
    expect(sealed.rules.outcomes).toEqual([expect.objectContaining({ band: 'enchanted', success: true, quality: 0.8 })]);
    const item = (await ok(h, '/dev/affix/item/get', { itemInstanceId: c.ids.steel_blade, gameServiceId: w.gs })).item;
    expect(item.affixes.map((a: { code: string }) => a.code)).toEqual([expect.stringMatching(/^of_(embers|the_inferno)$/)]);
    expect(await contentsOf(h, w.gs, c.inventoryId)).toEqual({ steel_blade: 1, enchanting_focus: 1 });
  });

  it('theOutputPreview_warnsThatAFailureMayBreakTheTarget', async () => {
    const { rules } = await ok(h, '/craft/query/output-preview', { recipeId: w.recipes.enchant_fire_suffix! });
    // A modification yields no new item; its failed band may destroy the sword (a tier 3+ key).
    expect(rules).toMatchObject({ ruleset: { code: 'enchanting' }, mode: 'bands', mayBreakTarget: true });
    expect(rules.bands.map((b: { name: string; success: boolean }) => [b.name, b.success])).toEqual([
      ['fizzled', false],
      ['enchanted', true],
    ]);
  });

  it('everyUnitIsAccountedFor', async () => {
    expectConserved(await auditItems(h, w.gs), granted);
  });
});
