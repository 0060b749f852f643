// The bench's data set, built the way a game would build it:
// - through the API (developer token): the game service, item templates, 1,000 recipes over 20
//   domains (recipe/seed in batches), stations, a sample of proficiency/set calls, and (in
//   scenarios.ts, AdvancePool) the sessions the advance scenario drives (session/start);
// - straight into the tables for the 10,000 inventories, their items and proficiencies:
//   stub_container / stub_item_instance belong to the built-in item and inventory services
//   (lib-craft never writes them except through the stubs), and the rows are exactly what
//   /dev/inventory/create and /dev/item/grant store (containerType `inventory`, realm = game
//   service, instanceMetadata {"quality": q}, origin `Grant`), without the stubs' per-call
//   idempotency bookkeeping; Proficiency rows are what proficiency/set stores with
//   CRAFT_PROFICIENCY_SOURCE=local (level and phase from the service's own functions in
//   src/domain/proficiency/levels.ts), without the `craft.proficiency.leveled` events. Some
//   50,000 HTTP calls would take minutes on 2 cores; the bulk inserts take seconds. A sample
//   of entities is then read back through the API to check the rows are what it expects.
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { levelFor, phaseFor } from '../../src/domain/proficiency/levels.js';
import type { Api } from './api.js';
import { config, ROOT } from './config.js';
import { benchPool } from './infra.js';
import { log, mapPool, now, prng, round } from './util.js';

export const DOMAINS = [
  'blacksmithing', 'tailoring', 'alchemy', 'cooking', 'carpentry', 'leatherworking', 'jewelcrafting', 'enchanting',
  'engineering', 'fletching', 'masonry', 'pottery', 'herbalism', 'smelting', 'brewing', 'glassblowing', 'weaving',
  'tanning', 'inscription', 'shipwright',
] as const;

interface DomainKit {
  domain: string;
  materials: string[];
  materialCategory: string;
  tool: string;
  toolCategory: string;
  stationType: string;
}

function kitOf(domain: string): DomainKit {
  if (domain === 'blacksmithing') {
    return {
      domain,
      materials: ['iron_ingot', 'leather_strip', 'steel_ingot', 'coal'],
      materialCategory: 'metal',
      tool: 'hammer',
      toolCategory: 'hammer',
      stationType: 'forge',
    };
  }
  return {
    domain,
    materials: [0, 1, 2, 3].map((i) => `${domain}_mat_${i}`),
    materialCategory: `${domain}_material`,
    tool: `${domain}_tool`,
    toolCategory: `${domain}_tool`,
    stationType: `${domain}_bench`,
  };
}

export const CRAFT_RECIPE = 'bench_forge_sword';
export const LONG_RECIPE = 'bench_long_work';
export const LONG_STEPS = 20;
/** A synthesis (pack `synthesis`) with room for many turns: the ruleset-advance scenario's recipe. */
export const RULES_RECIPE = 'bench_synthesis';
/** Turns the bench plays per ruleset session (the ruleset ends an attempt at 40). */
export const RULES_TURNS = 38;
/** The same synthesis sized to end on its 30th turn under RULES_ESTIMATE_PLAN: the rules-estimate scenario. */
export const RULES_ESTIMATE_RECIPE = 'bench_synthesis_30';
/** Touch, synthesis, 15 times: 15 x 14.4 progress reaches 215 on turn 30; 300 integrity, 270 cp. */
export const RULES_ESTIMATE_PLAN = Array.from({ length: 30 }, (_, i) => (i % 2 === 0 ? 'basic_touch' : 'basic_synthesis'));
/** Crafts each craft-scenario entity has materials for. */
const CRAFTS_PER_ENTITY = 100;
/** CRAFT_PHASE_THRESHOLDS' default, which the bench's service runs with. */
const PHASES = [
  { name: 'novice', threshold: 0 },
  { name: 'apprentice', threshold: 100 },
  { name: 'journeyman', threshold: 500 },
  { name: 'expert', threshold: 1500 },
  { name: 'master', threshold: 4000 },
] as const;

export interface Entity {
  entityId: string;
  entityType: string;
  inventoryId: string;
  domain: string;
  /** Instance ids by template code (one stack each). */
  items: Record<string, string>;
}

export interface AdvanceSession {
  sessionId: string;
  /** Index of the next step to advance (LONG_STEPS - 1 is the final one, never advanced by the bench). */
  next: number;
}

/** Proficiency level of every seeded crafter of the craft and advance groups. */
export const CRAFTER_LEVEL = 7;

export interface World {
  gs: string;
  recipeCodes: string[];
  recipeIdByCode: Map<string, string>;
  recipesByDomain: Map<string, string[]>;
  kits: DomainKit[];
  stationsByType: Map<string, string[]>;
  craftEntities: Entity[];
  /** Crafters for the advance scenario's sessions (AdvancePool starts them as needed). */
  advanceEntities: Entity[];
  /** Crafters for the ruleset-advance scenario's sessions. */
  rulesEntities: Entity[];
  others: Entity[];
  seedSeconds: number;
  counts: Record<string, number>;
}

function genericRecipe(kit: DomainKit, k: number) {
  const { domain } = kit;
  const nInputs = 1 + (k % 3);
  const first = k % 2;
  const nSteps = 1 + (k % 5);
  const steps = Array.from({ length: nSteps }, (_, j) => ({
    code: `s${j}`,
    name: `Step ${j + 1}`,
    ...(j % 2 === 0 && { stationType: kit.stationType }),
    ...(j % 3 === 1 && { toolCategory: kit.toolCategory }),
    skillCheck: j % 2 === 0,
    ...(k % 7 === 0 && j === 0 && { durationSeconds: 30 }),
  }));
  const level = k % 10;
  const discoverable = k % 5 === 4;
  return {
    code: `${domain}_${String(k).padStart(3, '0')}`,
    recipeType: 'production',
    domain,
    category: ['weapons', 'armor', 'tools', 'consumables', 'trade_goods'][k % 5],
    tags: [`tier_${1 + (k % 4)}`, k % 2 === 0 ? 'common' : 'rare'],
    inputs: kit.materials.slice(first, first + nInputs).map((code, j) => ({ itemTemplateCode: code, quantity: 1 + ((k + j) % 3) })),
    steps,
    outputs: [{ itemTemplateCode: `${domain}_item_${k}`, quantity: 1 + (k % 2), qualityInfluence: round(0.5 + (k % 5) / 10, 1) }],
    ...(level > 0 && { proficiencyRequirements: [{ domain, minimumLevel: level }] }),
    ...(k % 2 === 0 && { qualityWeights: { materialQuality: 0.4, proficiencyLevel: 0.4, toolQuality: 0.2 } }),
    experienceGrants: [{ domain, baseExperience: 10 + k, firstCraftBonus: 5 }],
    isDefaultKnown: !discoverable,
    ...(discoverable && { isDiscoverable: true, discoveryHints: [[...kit.materials.slice(first, first + nInputs)].sort().join('+')] }),
  };
}

/** The README's Forge Iron Sword, without the 15 s heat (the bench cannot wait it out). */
function craftRecipe() {
  return {
    code: CRAFT_RECIPE,
    recipeType: 'production',
    domain: 'blacksmithing',
    category: 'weapons',
    tags: ['melee', 'bench'],
    isDefaultKnown: true,
    inputs: [
      { itemTemplateCode: 'iron_ingot', quantity: 3 },
      { itemTemplateCode: 'leather_strip', quantity: 1 },
    ],
    steps: [
      { code: 'heat_metal', name: 'Heat the metal', stationType: 'forge', skillCheck: true },
      { code: 'hammer_blade', name: 'Hammer the blade', stationType: 'forge', toolCategory: 'hammer', skillCheck: true },
      { code: 'quench', name: 'Quench', stationType: 'forge' },
      { code: 'attach_grip', name: 'Attach the grip', toolCategory: 'hammer' },
    ],
    outputs: [{ itemTemplateCode: 'iron_sword', quantity: 1, qualityInfluence: 1.0 }],
    proficiencyRequirements: [{ domain: 'blacksmithing', minimumLevel: 3 }],
    qualityWeights: { materialQuality: 0.3, proficiencyLevel: 0.5, toolQuality: 0.2 },
    experienceGrants: [{ domain: 'blacksmithing', baseExperience: 50, firstCraftBonus: 25 }],
  };
}

/** A long job (20 instant steps) so the advance scenario has thousands of independent sessions to drive. */
function longRecipe() {
  return {
    code: LONG_RECIPE,
    recipeType: 'production',
    domain: 'blacksmithing',
    category: 'trade_goods',
    tags: ['bench'],
    isDefaultKnown: true,
    inputs: [{ itemTemplateCode: 'iron_ingot', quantity: 2 }],
    steps: Array.from({ length: LONG_STEPS }, (_, j) => ({
      code: `w${String(j).padStart(2, '0')}`,
      name: `Work ${j + 1}`,
      ...(j % 3 === 0 && { stationType: 'forge' }),
      ...(j % 4 === 1 && { toolCategory: 'hammer' }),
      skillCheck: j % 2 === 0,
    })),
    outputs: [{ itemTemplateCode: 'iron_plate', quantity: 1, qualityInfluence: 0.8 }],
    proficiencyRequirements: [{ domain: 'blacksmithing', minimumLevel: 2 }],
    experienceGrants: [{ domain: 'blacksmithing', baseExperience: 80 }],
  };
}

/** The synthesis pack's recipe shape, with params so large that no session ends before RULES_TURNS. */
function rulesRecipe(code = RULES_RECIPE, params: Record<string, number> = { difficulty: 1_000_000, durability: 1_000_000, qualityMax: 1_000_000 }) {
  return {
    code,
    recipeType: 'production',
    domain: 'blacksmithing',
    category: 'trade_goods',
    tags: ['bench'],
    isDefaultKnown: true,
    inputs: [{ itemTemplateCode: 'iron_ingot', quantity: 2 }],
    steps: [{ code: 'synthesize', name: 'Synthesize' }],
    outputs: [{ itemTemplateCode: 'iron_plate', quantity: 1, qualityInfluence: 1 }],
    ruleset: { code: 'synthesis', params },
  };
}

async function timed<T>(label: string, fn: () => Promise<T>): Promise<T> {
  const t0 = now();
  const value = await fn();
  log(`  ${label} (${round((now() - t0) / 1000, 1)} s)`);
  return value;
}

export async function seed(dev: Api): Promise<World> {
  const t0 = now();
  const rnd = prng(20261121);
  const kits = DOMAINS.slice(0, config.domains).map(kitOf);
  const blacksmithing = kits[0]!;

  const gsName = `bench-${Date.now().toString(36)}`;
  const registered = await dev.post<{ gameService: { serviceId: string } }>('/dev/game-service/register', { stubName: gsName, displayName: 'Bench world' });
  const gs = registered.gameService.serviceId;

  // Recipes: CRAFT_RECIPE and LONG_RECIPE plus generic ones, the same number per domain.
  const perDomain = Math.ceil((config.recipes - 4) / kits.length);
  const recipes: Record<string, unknown>[] = [
    craftRecipe(),
    longRecipe(),
    rulesRecipe(),
    rulesRecipe(RULES_ESTIMATE_RECIPE, { difficulty: 215, durability: 310, qualityMax: 4000 }),
  ];
  const recipesByDomain = new Map<string, string[]>();
  for (let k = 0; k < perDomain; k++) {
    for (const kit of kits) {
      if (recipes.length >= config.recipes) break;
      const r = genericRecipe(kit, k);
      recipes.push(r);
      recipesByDomain.set(kit.domain, [...(recipesByDomain.get(kit.domain) ?? []), r.code]);
    }
  }

  // Item templates: every material, tool and output the recipes name.
  const templates = new Map<string, string>([
    ['iron_sword', 'one_hand_sword'],
    ['iron_plate', 'metal'],
  ]);
  for (const kit of kits) {
    for (const m of kit.materials) templates.set(m, kit.materialCategory);
    templates.set(kit.tool, kit.toolCategory);
  }
  for (const r of recipes) for (const o of r.outputs as { itemTemplateCode: string }[]) if (!templates.has(o.itemTemplateCode)) templates.set(o.itemTemplateCode, 'crafted');
  const templateIds = new Map<string, string>();
  await timed(`${templates.size} item templates (/dev/item/template/create)`, () =>
    mapPool([...templates], 20, async ([code, category]) => {
      const t = await dev.post<{ template: { templateId: string } }>('/dev/item/template/create', { gameServiceId: gs, code, category });
      templateIds.set(code, t.template.templateId);
    }),
  );

  const recipeIdByCode = new Map<string, string>();
  await timed(`${recipes.length} recipes over ${kits.length} domains (/craft/recipe/seed, batches of 100)`, async () => {
    const batches: Record<string, unknown>[][] = [];
    for (let i = 0; i < recipes.length; i += 100) batches.push(recipes.slice(i, i + 100));
    // The first batch (with the ruleset recipe) carries the synthesis pack's ruleset.
    const synthesis = JSON.parse(readFileSync(path.join(ROOT, 'packs/synthesis/ruleset.json'), 'utf8')) as unknown;
    await mapPool(batches, 2, async (batch, i) => {
      const res = await dev.post<{ created: { code: string; recipeId: string }[] }>('/craft/recipe/seed', { gameServiceId: gs, recipes: batch, ...(i === 0 && { rulesets: [synthesis] }) });
      for (const c of res.created) recipeIdByCode.set(c.code, c.recipeId);
    });
  });

  // Stations: 5 per domain, 20 forges.
  const stationsByType = new Map<string, string[]>();
  const stationSpecs = kits.flatMap((kit) => Array.from({ length: kit === blacksmithing ? 20 : 5 }, (_, i) => ({ type: kit.stationType, quality: round(0.5 + ((i * 7) % 5) / 10, 1) })));
  await timed(`${stationSpecs.length} stations (/craft/station/register)`, () =>
    mapPool(stationSpecs, 20, async (s) => {
      const res = await dev.post<{ stationId: string }>('/craft/station/register', { gameServiceId: gs, stationType: s.type, quality: s.quality });
      stationsByType.set(s.type, [...(stationsByType.get(s.type) ?? []), res.stationId]);
    }),
  );

  // Entities: craft-scenario crafters, advance-scenario crafters, and everyone else.
  const advanceGroup = config.advanceSessions + config.advanceReserve;
  const total = Math.max(config.entities, config.craftEntities + advanceGroup + 100);
  const entities: Entity[] = [];
  const containers: unknown[][] = [];
  const instances: unknown[][] = [];
  const createdAt = new Date();
  const grant = (e: Entity, code: string, quantity: number, quality: number) => {
    const id = randomUUID();
    e.items[code] = id;
    instances.push([id, templateIds.get(code)!, gs, e.inventoryId, gs, String(quantity), JSON.stringify({ quality }), 'Grant', null, createdAt, createdAt]);
  };
  for (let i = 0; i < total; i++) {
    const group = i < config.craftEntities ? 'craft' : i < config.craftEntities + advanceGroup ? 'advance' : 'other';
    const kit = group === 'other' ? kits[i % kits.length]! : blacksmithing;
    const e: Entity = {
      entityId: randomUUID(),
      entityType: group === 'other' && i % 2 === 0 ? 'npc' : 'character',
      inventoryId: randomUUID(),
      domain: kit.domain,
      items: {},
    };
    entities.push(e);
    containers.push([e.inventoryId, e.entityId, e.entityType, 'inventory', gs, createdAt]);
    if (group === 'craft') {
      grant(e, 'iron_ingot', 3 * CRAFTS_PER_ENTITY, 0.65);
      grant(e, 'leather_strip', CRAFTS_PER_ENTITY, 0.65);
      grant(e, 'hammer', 1, 0.8);
    } else if (group === 'advance') {
      grant(e, 'iron_ingot', 10, 0.6);
      grant(e, 'hammer', 1, 0.7);
    } else {
      for (const m of kit.materials) if (rnd() < 0.75) grant(e, m, 1 + Math.floor(rnd() * 40), round(0.3 + rnd() * 0.6, 2));
      if (rnd() < 0.8) grant(e, kit.tool, 1, round(0.4 + rnd() * 0.5, 2));
    }
  }
  await timed(`${entities.length} inventories with ${instances.length} item stacks (bulk insert into the stub item/inventory tables)`, async () => {
    const pool = benchPool(4);
    try {
      const chunks = <T>(rows: T[], n: number) => Array.from({ length: Math.ceil(rows.length / n) }, (_, i) => rows.slice(i * n, (i + 1) * n));
      for (const chunk of chunks(containers, 2000)) {
        await pool.batch('INSERT INTO stub_container (id, ownerId, ownerType, containerType, gameServiceId, createdAt) VALUES (?, ?, ?, ?, ?, ?)', chunk);
      }
      for (const chunk of chunks(instances, 2000)) {
        await pool.batch(
          'INSERT INTO stub_item_instance (id, templateId, gameServiceId, containerId, realmId, quantity, instanceMetadata, originType, originId, createdAt, updatedAt) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
          chunk,
        );
      }
    } finally {
      await pool.end();
    }
  });

  // Proficiency: every entity has a level in its domain (craft and advance crafters: CRAFTER_LEVEL).
  const levelOf = (i: number) => (i < config.craftEntities + advanceGroup ? CRAFTER_LEVEL : 1 + ((i * 13) % 30));
  const phases = [...PHASES];
  await timed(`${entities.length} proficiencies (bulk insert, as proficiency/set stores them)`, async () => {
    const pool = benchPool(2);
    try {
      const rows = entities.map((e, i) => {
        const experience = 10 * levelOf(i) ** 2;
        return [randomUUID(), gs, e.entityId, e.entityType, e.domain, experience, levelFor(experience, 10, 100), phaseFor(experience, phases), createdAt, createdAt];
      });
      for (let i = 0; i < rows.length; i += 2000) {
        await pool.batch(
          'INSERT INTO Proficiency (id, gameServiceId, entityId, entityType, domain, experience, level, phase, createdAt, updatedAt) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
          rows.slice(i, i + 2000),
        );
      }
    } finally {
      await pool.end();
    }
  });

  // Read a sample back through the API: the bulk rows must be what the service expects.
  await timed('checked 20 entities through the API (proficiency/get, /dev/inventory/get)', () =>
    mapPool([0, config.craftEntities, config.craftEntities + advanceGroup, total - 1, ...Array.from({ length: 16 }, () => Math.floor(rnd() * total))], 4, async (i) => {
      const e = entities[i]!;
      const { proficiency: prof } = await dev.post<{ proficiency: { level: number } }>('/craft/proficiency/get', { gameServiceId: gs, entityId: e.entityId, entityType: e.entityType, domain: e.domain });
      if (prof.level !== levelOf(i)) throw new Error(`seed check: entity ${i} has level ${prof.level} in ${e.domain}, expected ${levelOf(i)}`);
      const inv = await dev.post<{ items: { instanceId: string; itemTemplateCode: string }[] }>('/dev/inventory/get', { containerId: e.inventoryId, gameServiceId: gs });
      const want = Object.entries(e.items).map(([code, id]) => `${code}:${id}`).sort();
      const got = inv.items.map((it) => `${it.itemTemplateCode}:${it.instanceId}`).sort();
      if (JSON.stringify(want) !== JSON.stringify(got)) throw new Error(`seed check: inventory of entity ${i} holds ${got.join(', ')}, expected ${want.join(', ')}`);
    }),
  );
  // And a few proficiency/set calls, so the API path has written some rows too.
  await mapPool(entities.slice(total - 20), 4, (e, j) =>
    dev.post('/craft/proficiency/set', { gameServiceId: gs, entityId: e.entityId, entityType: e.entityType, domain: e.domain, targetValue: 10 * levelOf(total - 20 + j) ** 2 }),
  );

  const craftEntities = entities.slice(0, config.craftEntities);
  // The advance crafters: 60 % for step sessions, 40 % for ruleset sessions (twice the turns each).
  const advanceAll = entities.slice(config.craftEntities, config.craftEntities + advanceGroup);
  const advanceEntities = advanceAll.slice(0, Math.ceil(advanceAll.length * 0.6));
  const rulesEntities = advanceAll.slice(advanceEntities.length);
  const others = entities.slice(config.craftEntities + advanceGroup);

  return {
    gs,
    recipeCodes: recipes.map((r) => r.code as string),
    recipeIdByCode,
    recipesByDomain,
    kits,
    stationsByType,
    craftEntities,
    advanceEntities,
    rulesEntities,
    others,
    seedSeconds: (now() - t0) / 1000,
    counts: {
      recipes: recipeIdByCode.size,
      domains: kits.length,
      templates: templates.size,
      stations: stationSpecs.length,
      entities: entities.length,
      inventories: containers.length,
      itemStacks: instances.length,
      proficiencies: entities.length,
    },
  };
}
