import { randomUUID } from 'node:crypto';
import type { Fleet } from './fleet.js';

/**
 * What the chaos clients craft with: the seed's sword, a modification, an extraction, a
 * discovery, a ruleset craft (two attempts on one pool, a consumable, a loss on failure, an
 * optional extra slot), a ruleset modification that breaks its target when it fails, and a
 * repair of damaged swords.
 */
export const SWORD_COST = 5;

/** Tempering: three heats before two misses; flux adds a sure heat (once per attempt); a failure loses 25-50 %. */
const TEMPERING = {
  code: 'tempering',
  name: 'Tempering',
  pools: [
    { name: 'heat', start: 0, min: 0 },
    { name: 'misses', start: 0, min: 0 },
  ],
  actions: [
    { code: 'flux', name: 'Flux', consumable: { itemTemplateCode: 'flux', quantity: 1 }, charges: { max: 1, per: 'attempt' }, onSuccess: [{ op: 'add', pool: 'heat', amount: 1 }] },
    { code: 'strike', name: 'Strike', chance: 0.6, onSuccess: [{ op: 'add', pool: 'heat', amount: 1 }], onFailure: [{ op: 'add', pool: 'misses', amount: 1 }] },
  ],
  end: { success: { '>=': [{ var: 'pools.heat' }, 3] }, failure: { '>': [{ var: 'pools.misses' }, 1] } },
  outcome: {
    mode: 'allOrNothing',
    score: { '*': [100, { '/': [{ var: 'pools.heat' }, 3] }] },
    quality: { '-': [1, { '*': [0.2, { var: 'pools.misses' }] }] },
    failureLoss: { min: 0.25, max: 0.5 },
  },
  attempts: { max: 2 },
};
export const TEMPER_INPUT = { iron_ingot: 2 } as const;

/** Etching runes: one try at 50 %; a failure loses the reagent and breaks the sword (outcome.breaksTarget). */
const ETCHING = {
  code: 'etching',
  name: 'Etching',
  pools: [{ name: 'etched', start: 0, min: 0, max: 1 }],
  actions: [{ code: 'etch', name: 'Etch', chance: 0.5, onSuccess: [{ op: 'set', pool: 'etched', amount: 1 }], onFailure: [{ op: 'fail', reason: 'the runes cracked the blade' }] }],
  end: { success: { '>=': [{ var: 'pools.etched' }, 1] } },
  outcome: { mode: 'allOrNothing', score: { '*': [100, { var: 'pools.etched' }] }, failLoss: { min: 1 }, breaksTarget: true },
};

const RECIPES = [
  {
    code: 'forge_iron_sword',
    recipeType: 'production',
    domain: 'blacksmithing',
    isDefaultKnown: true,
    inputs: [
      { itemTemplateCode: 'iron_ingot', quantity: 3 },
      { itemTemplateCode: 'leather_strip', quantity: 1 },
    ],
    currencyCosts: [{ currencyCode: 'gold', amount: SWORD_COST }],
    steps: [
      { code: 'heat_metal', name: 'Heat', stationType: 'forge', skillCheck: true },
      { code: 'hammer_blade', name: 'Hammer', stationType: 'forge', toolCategory: 'hammer', skillCheck: true },
      { code: 'quench', name: 'Quench', stationType: 'forge' },
      { code: 'attach_grip', name: 'Grip', toolCategory: 'hammer' },
    ],
    outputs: [{ itemTemplateCode: 'iron_sword', quantity: 1, qualityInfluence: 1.0 }],
    proficiencyRequirements: [{ domain: 'blacksmithing', minimumLevel: 1 }],
    experienceGrants: [{ domain: 'blacksmithing', baseExperience: 10, firstCraftBonus: 5 }],
  },
  {
    code: 'inscribe_flames',
    recipeType: 'modification',
    domain: 'enchanting',
    isDefaultKnown: true,
    inputs: [{ itemTemplateCode: 'fire_reagent', quantity: 1 }],
    outputs: [],
    targetRequirements: { requiredItemStates: [{ field: 'IsCorrupted', expected: false }], requiredAffixSlotType: 'suffix' },
    affixOperation: 'apply_random',
    affixOperationConfig: { slotType: 'suffix' },
    steps: [{ code: 'inscribe', name: 'Inscribe', skillCheck: true }],
  },
  {
    code: 'salvage_weapon',
    recipeType: 'extraction',
    domain: 'blacksmithing',
    isDefaultKnown: true,
    inputs: [],
    outputs: [],
    targetRequirements: { validItemClasses: ['one_hand_sword'] },
    steps: [{ code: 'disassemble', name: 'Disassemble', stationType: 'forge', toolCategory: 'hammer', skillCheck: true }],
    extractionOutputs: [
      { itemTemplateCode: 'iron_ingot', baseQuantity: 1, quantityVariance: 1, probability: 1.0 },
      { itemTemplateCode: 'leather_strip', baseQuantity: 0, quantityVariance: 1, probability: 0.5 },
    ],
  },
  {
    code: 'temper_blade',
    recipeType: 'production',
    domain: 'blacksmithing',
    isDefaultKnown: true,
    inputs: [
      { slot: 'metal', itemTemplateCode: 'iron_ingot', quantity: TEMPER_INPUT.iron_ingot },
      // An extra slot some clients fill (overload): an ember, used up with the ingots.
      { slot: 'charm', tagsAny: ['fire'], quantity: 1, optional: true },
    ],
    // Some tempering sessions temper two blades at once (a batch): inputs, outputs and losses x 2.
    maxBatch: 2,
    steps: [{ code: 'temper', name: 'Temper' }],
    outputs: [{ itemTemplateCode: 'tempered_blade', quantity: 1, qualityInfluence: 1.0 }],
    ruleset: { code: 'tempering' },
  },
  {
    code: 'etch_runes',
    recipeType: 'modification',
    domain: 'enchanting',
    isDefaultKnown: true,
    inputs: [{ itemTemplateCode: 'fire_reagent', quantity: 1 }],
    outputs: [],
    targetRequirements: { validItemClasses: ['one_hand_sword'], requiredAffixSlotType: 'suffix' },
    affixOperation: 'apply_random',
    affixOperationConfig: { slotType: 'suffix' },
    steps: [{ code: 'etch', name: 'Etch' }],
    ruleset: { code: 'etching' },
  },
  {
    code: 'mend_sword',
    recipeType: 'repair',
    domain: 'blacksmithing',
    isDefaultKnown: true,
    repair: { fixes: ['damaged', 'broken'] },
    inputs: [{ itemTemplateCode: 'iron_ingot', quantity: 1 }],
    outputs: [],
    steps: [{ code: 'mend', name: 'Mend', toolCategory: 'hammer' }],
  },
  {
    code: 'forge_dagger',
    recipeType: 'production',
    domain: 'blacksmithing',
    isDefaultKnown: false,
    isDiscoverable: true,
    discoveryHints: ['iron_ingot+leather_strip'],
    inputs: [{ itemTemplateCode: 'iron_ingot', quantity: 1 }],
    steps: [{ code: 'work', name: 'Work' }],
    outputs: [{ itemTemplateCode: 'iron_sword', quantity: 1, qualityInfluence: 0.5 }],
  },
];

const TEMPLATES: [code: string, category: string, tags?: string[]][] = [
  ['iron_ingot', 'metal'],
  ['leather_strip', 'leather'],
  ['iron_sword', 'one_hand_sword'],
  ['hammer', 'hammer'],
  ['fire_reagent', 'reagent'],
  ['flux', 'consumable'],
  ['tempered_blade', 'blade'],
  ['ember', 'reagent', ['fire']],
];

/** What one crafter is given at the start. */
export const KIT = { iron_ingot: 36, leather_strip: 12, hammer: 1, iron_sword: 4, fire_reagent: 4, flux: 3, ember: 3 } as const;
/** Swords each crafter is also given damaged (one instance each: targets of mend_sword). */
export const DAMAGED_SWORDS = 2;
export const GOLD = 60;

export interface Crafter {
  entityId: string;
  entityType: 'character';
  inventoryId: string;
}

export interface Economy {
  gs: string;
  stationId: string;
  recipeIds: Record<string, string>;
  crafters: Crafter[];
  /** Quantity granted per template through the dev API (the test's own ledger). */
  granted: Record<string, number>;
  /** Gold credited per entity. */
  credited: Record<string, number>;
}

/** A game service with the recipes above and `crafters` crafters, each with KIT and GOLD. */
export async function buildEconomy(fleet: Fleet, crafters: number): Promise<Economy> {
  const reg = await fleet.ok('/dev/game-service/register', { stubName: `chaos-${randomUUID().slice(0, 12)}`, displayName: 'Chaos game' });
  const gs = reg.gameService.serviceId as string;
  for (const [code, category, tags] of TEMPLATES) await fleet.ok('/dev/item/template/create', { gameServiceId: gs, code, category, ...(tags && { tags }) });
  for (const code of ['of_flames', 'of_frost', 'of_storms']) {
    await fleet.ok('/dev/affix/definition/create', { gameServiceId: gs, code, slotType: 'suffix', tags: ['fire'], tier: 1, weight: 100, valueMin: 1, valueMax: 50, minItemLevel: 0 });
  }
  const seeded = await fleet.ok('/craft/recipe/seed', { gameServiceId: gs, rulesets: [TEMPERING, ETCHING], recipes: RECIPES });
  const recipeIds = Object.fromEntries((seeded.created as { code: string; recipeId: string }[]).map((c) => [c.code, c.recipeId]));
  const station = await fleet.ok('/craft/station/register', { gameServiceId: gs, stationType: 'forge', quality: 0.8 });
  const economy: Economy = { gs, stationId: station.stationId, recipeIds, crafters: [], granted: {}, credited: {} };
  await Promise.all(
    Array.from({ length: crafters }, async () => {
      const entityId = randomUUID();
      const inv = await fleet.ok('/dev/inventory/create', { ownerId: entityId, ownerType: 'character', gameServiceId: gs });
      const crafter: Crafter = { entityId, entityType: 'character', inventoryId: inv.container.containerId };
      for (const domain of ['blacksmithing', 'enchanting']) {
        await fleet.ok('/craft/proficiency/set', { gameServiceId: gs, entityId, entityType: 'character', domain, targetValue: 10 * 5 * 5 });
      }
      for (const [code, quantity] of Object.entries(KIT)) {
        // Swords come one per instance (targets of modification and salvage).
        const stacks = code === 'iron_sword' ? quantity : 1;
        for (let i = 0; i < stacks; i++) {
          await fleet.ok('/dev/item/grant', { containerId: crafter.inventoryId, gameServiceId: gs, itemTemplateCode: code, quantity: quantity / stacks, quality: 0.7 });
        }
        economy.granted[code] = (economy.granted[code] ?? 0) + quantity;
      }
      for (let i = 0; i < DAMAGED_SWORDS; i++) {
        await fleet.ok('/dev/item/grant', { containerId: crafter.inventoryId, gameServiceId: gs, itemTemplateCode: 'iron_sword', quantity: 1, quality: 0.6, instanceMetadata: { condition: 'damaged' } });
      }
      economy.granted.iron_sword = (economy.granted.iron_sword ?? 0) + DAMAGED_SWORDS;
      await fleet.ok('/dev/currency/credit', { gameServiceId: gs, ownerId: entityId, ownerType: 'character', currencyCode: 'gold', amount: GOLD });
      economy.credited[entityId] = GOLD;
      economy.crafters.push(crafter);
    }),
  );
  return economy;
}
