// Two game services with the same recipe and template codes, each holding one of every kind of
// resource lib-craft or its stub services keep, and a snapshot of everything one of them owns:
// the material of the tenancy tests (test/integration/http/tenancy*.test.ts).
import { randomUUID } from 'node:crypto';
import type { Harness } from './harness.js';
import { ok } from './world.js';

export interface Tenant {
  label: string;
  gs: string;
  recipeId: string;
  /** A recipe only this tenant has (its code is unique to it). */
  secretRecipeId: string;
  secretRecipeCode: string;
  secretTemplateCode: string;
  deprecatedRecipeId: string;
  entityId: string;
  entityType: string;
  helperId: string;
  inventoryId: string;
  ingotsId: string;
  stripId: string;
  hammerId: string;
  swordId: string;
  stationId: string;
  locationId: string;
  /** Active at its first step. */
  sessionId: string;
  contractId: string;
  escrowId: string;
  completedSessionId: string;
  walletId: string;
  /** Values only this tenant's data carries (item quality, coins, codes): must never appear in another's answers. */
  distinct: string[];
}

const RECIPE_STEPS = [
  { code: 'heat_metal', name: 'Heat the metal', stationType: 'forge', skillCheck: true },
  { code: 'hammer_blade', name: 'Hammer the blade', stationType: 'forge', toolCategory: 'hammer', skillCheck: true },
  { code: 'quench', name: 'Quench', stationType: 'forge' },
  { code: 'attach_grip', name: 'Attach the grip', toolCategory: 'hammer' },
];

/**
 * A game service with one of everything: recipes (the shared codes, one of its own, a
 * deprecated one), templates, a crafter with an inventory, items, a wallet, proficiency, a
 * station at a location, a completed and an active session (with its contract and escrow), a
 * taught recipe, a discovery attempt, an affix definition and an item's affix state.
 * `quality` and `coins` make its data recognisable.
 */
export async function buildTenant(h: Harness, label: string, opts: { quality: number; coins: number }): Promise<Tenant> {
  const gs = await h.gameService();
  const secretTemplateCode = `${label}_only_ore`;
  const secretRecipeCode = `${label}_only_recipe`;
  const templates: [string, string][] = [
    ['iron_ingot', 'metal'],
    ['leather_strip', 'leather'],
    ['iron_sword', 'one_hand_sword'],
    ['hammer', 'hammer'],
    ['scrap', 'metal'],
    [secretTemplateCode, 'metal'],
  ];
  for (const [code, category] of templates) await ok(h, '/dev/item/template/create', { gameServiceId: gs, code, category });
  const forge = {
    code: 'forge_iron_sword',
    recipeType: 'production',
    domain: 'blacksmithing',
    category: 'weapons',
    tags: ['melee', 'iron'],
    isDefaultKnown: true,
    inputs: [
      { itemTemplateCode: 'iron_ingot', quantity: 3 },
      { itemTemplateCode: 'leather_strip', quantity: 1 },
    ],
    currencyCosts: [{ currencyCode: 'gold', amount: 5 }],
    steps: RECIPE_STEPS,
    outputs: [{ itemTemplateCode: 'iron_sword', quantity: 1, qualityInfluence: 1 }],
    proficiencyRequirements: [{ domain: 'blacksmithing', minimumLevel: 3 }],
    experienceGrants: [{ domain: 'blacksmithing', baseExperience: 50 }],
  };
  const seeded = await ok(h, '/craft/recipe/seed', {
    gameServiceId: gs,
    // The contract examples' ruleset code, in both tenants (like the shared recipe codes).
    rulesets: [
      {
        code: 'quick_forge',
        name: `${label} forge rules`,
        pools: [{ name: 'progress', start: 0, min: 0, max: 100 }],
        actions: [{ code: 'hammer', onSuccess: [{ op: 'add', pool: 'progress', amount: 50 }] }],
        end: { success: { '>=': [{ var: 'pools.progress' }, 100] } },
        outcome: { mode: 'allOrNothing', score: { var: 'pools.progress' } },
      },
    ],
    recipes: [
      forge,
      { ...forge, code: secretRecipeCode, isDefaultKnown: false, inputs: [{ itemTemplateCode: secretTemplateCode, quantity: 1 }], currencyCosts: [] },
      { ...forge, code: 'old_recipe', currencyCosts: [] },
      {
        code: 'salvage_sword',
        recipeType: 'extraction',
        domain: 'blacksmithing',
        isDefaultKnown: true,
        steps: [{ code: 'break_down', name: 'Break down' }],
        extractionOutputs: [{ itemTemplateCode: 'scrap', baseQuantity: 2, quantityVariance: 0, probability: 1 }],
      },
    ],
  });
  const idOf = (code: string) => (seeded.created as { code: string; recipeId: string }[]).find((c) => c.code === code)!.recipeId;
  const deprecatedRecipeId = idOf('old_recipe');
  await ok(h, '/craft/recipe/deprecate', { recipeId: deprecatedRecipeId, reason: 'superseded' });
  // Deprecated long ago: eligible for clean-deprecated with any grace period used here.
  await h.runtime.internals.prisma.$executeRaw`UPDATE Recipe SET deprecatedAt = NOW(3) - INTERVAL 90 DAY WHERE id = ${deprecatedRecipeId}`;

  const entityId = randomUUID();
  const entityType = 'character';
  const inventoryId = (await ok(h, '/dev/inventory/create', { ownerId: entityId, ownerType: entityType, gameServiceId: gs })).container.containerId as string;
  const grant = async (code: string, quantity: number) =>
    (await ok(h, '/dev/item/grant', { containerId: inventoryId, gameServiceId: gs, itemTemplateCode: code, quantity, quality: opts.quality })).item
      .instanceId as string;
  // Two sessions take 3 + 1 each: the stacks stay (with the same ids) for a third.
  const ingotsId = await grant('iron_ingot', 9);
  const stripId = await grant('leather_strip', 3);
  const hammerId = await grant('hammer', 1);
  const swordId = await grant('iron_sword', 1);
  await grant(secretTemplateCode, 2);
  const scrapId = await grant('scrap', 4);
  const wallet = await ok(h, '/dev/currency/credit', { gameServiceId: gs, ownerId: entityId, ownerType: entityType, currencyCode: 'gold', amount: opts.coins });
  await ok(h, '/craft/proficiency/set', { gameServiceId: gs, entityId, entityType, domain: 'blacksmithing', targetValue: 490 });
  const locationId = randomUUID();
  const stationId = (await ok(h, '/craft/station/register', { gameServiceId: gs, stationType: 'forge', locationId, ownerId: entityId, ownerType: entityType, quality: opts.quality }))
    .stationId as string;

  const recipeId = idOf('forge_iron_sword');
  const start = { recipeId, entityId, entityType, inventoryId, stationId, toolItemId: hammerId };
  const done = await ok(h, '/craft/session/start', start);
  for (const step of RECIPE_STEPS) await ok(h, '/craft/session/advance', { sessionId: done.sessionId, stepCode: step.code, performance: 0.7 });
  const active = await ok(h, '/craft/session/start', start);
  const escrowId = (await h.runtime.internals.prisma.craftSession.findUniqueOrThrow({ where: { id: active.sessionId } })).escrowContainerId!;

  const helperId = randomUUID();
  await ok(h, '/craft/discovery/teach', { recipeId: idOf(secretRecipeCode), entityId, entityType, gameServiceId: gs });
  await ok(h, '/craft/discovery/attempt', { entityId, entityType, gameServiceId: gs, inventoryId, materialItemIds: [scrapId] });
  await ok(h, '/dev/affix/definition/create', { gameServiceId: gs, code: `${label}_of_fire`, tags: ['fire'], slotType: 'suffix', tier: 1, weight: 100, valueMin: 10, valueMax: 20 });
  await ok(h, '/dev/affix/item/set-state', { gameServiceId: gs, itemInstanceId: swordId, maxPrefixes: 2 });

  return {
    label,
    gs,
    recipeId,
    secretRecipeId: idOf(secretRecipeCode),
    secretRecipeCode,
    secretTemplateCode,
    deprecatedRecipeId,
    entityId,
    entityType,
    helperId,
    inventoryId,
    ingotsId,
    stripId,
    hammerId,
    swordId,
    stationId,
    locationId,
    sessionId: active.sessionId,
    contractId: active.contractId,
    escrowId,
    completedSessionId: done.sessionId,
    walletId: wallet.wallet.walletId,
    distinct: [String(opts.quality), String(opts.coins), secretRecipeCode, secretTemplateCode, `${label}_of_fire`, `${label} forge rules`],
  };
}

/** Every id of the tenant's own resources (lower case): none may appear in another tenant's answers. */
export async function idsOf(h: Harness, t: Tenant): Promise<string[]> {
  const db = h.runtime.internals.prisma;
  const rows = await db.$queryRawUnsafe<{ id: string }[]>(
    `SELECT id FROM Recipe WHERE gameServiceId = ? UNION SELECT id FROM CraftSession WHERE gameServiceId = ?
     UNION SELECT contractId FROM CraftSession WHERE gameServiceId = ? AND contractId IS NOT NULL
     UNION SELECT escrowContainerId FROM CraftSession WHERE gameServiceId = ? AND escrowContainerId IS NOT NULL
     UNION SELECT id FROM Station WHERE gameServiceId = ? UNION SELECT id FROM DiscoveryAttempt WHERE gameServiceId = ?
     UNION SELECT id FROM stub_item_instance WHERE gameServiceId = ? UNION SELECT id FROM stub_item_template WHERE gameServiceId = ?
     UNION SELECT id FROM stub_container WHERE gameServiceId = ? UNION SELECT id FROM stub_wallet WHERE gameServiceId = ?
     UNION SELECT id FROM stub_affix_definition WHERE gameServiceId = ?
     UNION SELECT h.id FROM stub_currency_hold h JOIN stub_wallet w ON w.id = h.walletId WHERE w.gameServiceId = ?`,
    ...Array.from({ length: 12 }, () => t.gs),
  );
  return [...new Set([t.gs, t.locationId, ...rows.map((r) => r.id.toLowerCase())])];
}

/** What a game service owns, table by table, as plain JSON: equal snapshots mean nothing of it changed. */
export async function snapshotOf(h: Harness, gs: string): Promise<Record<string, unknown[]>> {
  const db = h.runtime.internals.prisma;
  const byGs = [
    'Recipe',
    'RecipeTag',
    'Ruleset',
    'CraftAbilityUse',
    'CraftSession',
    'Proficiency',
    'CompletedRecipe',
    'Station',
    'KnownRecipe',
    'DiscoveryAttempt',
    'stub_item_template',
    'stub_item_instance',
    'stub_container',
    'stub_wallet',
    'stub_contract',
    'stub_affix_definition',
    'stub_seed_type',
    'stub_seed',
  ];
  const queries: [string, string][] = [
    ...byGs.map((t): [string, string] => [t, `SELECT * FROM \`${t}\` WHERE gameServiceId = ?`]),
    ['stub_game_service', 'SELECT * FROM stub_game_service WHERE id = ?'],
    ['stub_wallet_balance', 'SELECT b.* FROM stub_wallet_balance b JOIN stub_wallet w ON w.id = b.walletId WHERE w.gameServiceId = ?'],
    ['stub_currency_hold', 'SELECT h.* FROM stub_currency_hold h JOIN stub_wallet w ON w.id = h.walletId WHERE w.gameServiceId = ?'],
    ['stub_affix_item', 'SELECT a.* FROM stub_affix_item a JOIN stub_item_instance i ON i.id = a.itemInstanceId WHERE i.gameServiceId = ?'],
    ['stub_item_affix', 'SELECT a.* FROM stub_item_affix a JOIN stub_item_instance i ON i.id = a.itemInstanceId WHERE i.gameServiceId = ?'],
    ['OutboxEvent', "SELECT eventId, subject FROM OutboxEvent WHERE payload LIKE CONCAT('%', ?, '%')"],
  ];
  const snapshot: Record<string, unknown[]> = {};
  for (const [name, sql] of queries) {
    const rows = await db.$queryRawUnsafe<Record<string, unknown>[]>(sql, gs);
    snapshot[name] = rows.map(plain).sort((a, b) => (JSON.stringify(a) < JSON.stringify(b) ? -1 : 1));
  }
  return snapshot;
}

function plain(row: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(row).map(([k, v]) => [
      k,
      typeof v === 'bigint' ? String(v) : v instanceof Date ? v.toISOString() : v !== null && typeof v === 'object' ? String(v) : v,
    ]),
  );
}
