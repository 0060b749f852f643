import { randomUUID } from 'node:crypto';
import { expect } from 'vitest';
import { forgeIronSword } from './fixtures.js';
import type { Harness } from './harness.js';

/** A small game for session tests: templates, a crafter with an inventory, a forge. */
export interface World {
  gs: string;
  entityId: string;
  entityType: string;
  inventoryId: string;
  stationId: string;
  recipeId: string;
  /** Grants `quantity` of a template to the crafter; returns the instance id. */
  grant(code: string, quantity: number, quality?: number, containerId?: string): Promise<string>;
  /** Non-destroyed quantity per template code in a container. */
  contents(containerId?: string): Promise<Record<string, number>>;
}

export async function ok<T = any>(h: Harness, path: string, body: unknown): Promise<T> {
  const res = await h.post(path, body);
  if (res.status !== 200) throw new Error(`${path} answered ${res.status}: ${JSON.stringify(res.body)}`);
  return res.body as T;
}

export const TEMPLATES = [
  ['iron_ingot', 'metal'],
  ['leather_strip', 'leather'],
  ['iron_sword', 'one_hand_sword'],
  ['hammer', 'hammer'],
] as const;

export async function newCrafter(h: Harness, gs: string) {
  const entityId = randomUUID();
  const inv = await ok(h, '/dev/inventory/create', { ownerId: entityId, ownerType: 'character', gameServiceId: gs });
  return { entityId, entityType: 'character', inventoryId: inv.container.containerId as string };
}

/**
 * Builds the seed's Forge Iron Sword world. `recipe` overrides recipe fields;
 * `level` sets the crafter's blacksmithing level (experience 10 x level^2).
 */
export async function forgeWorld(
  h: Harness,
  opts: { recipe?: Record<string, unknown>; level?: number; stationQuality?: number } = {},
): Promise<World> {
  const gs = await h.gameService();
  for (const [code, category] of TEMPLATES) {
    await ok(h, '/dev/item/template/create', { gameServiceId: gs, code, category });
  }
  const crafter = await newCrafter(h, gs);
  const seeded = await ok(h, '/craft/recipe/seed', {
    gameServiceId: gs,
    recipes: [{ ...forgeIronSword(gs), isDefaultKnown: true, ...opts.recipe }],
  });
  const level = opts.level ?? 7;
  await ok(h, '/craft/proficiency/set', {
    gameServiceId: gs,
    entityId: crafter.entityId,
    entityType: crafter.entityType,
    domain: (opts.recipe?.domain as string | undefined) ?? 'blacksmithing',
    targetValue: 10 * level * level,
  });
  const station = await ok(h, '/craft/station/register', {
    gameServiceId: gs,
    stationType: 'forge',
    quality: opts.stationQuality ?? 0.8,
  });
  const world: World = {
    gs,
    ...crafter,
    stationId: station.stationId,
    recipeId: seeded.created[0].recipeId,
    grant: async (code, quantity, quality, containerId) => {
      const res = await ok(h, '/dev/item/grant', {
        containerId: containerId ?? crafter.inventoryId,
        gameServiceId: gs,
        itemTemplateCode: code,
        quantity,
        ...(quality !== undefined && { quality }),
      });
      return res.item.instanceId as string;
    },
    contents: async (containerId) => {
      const res = await ok(h, '/dev/inventory/get', { containerId: containerId ?? crafter.inventoryId, gameServiceId: gs });
      const totals: Record<string, number> = {};
      for (const item of res.items as { itemTemplateCode: string; quantity: number }[]) {
        totals[item.itemTemplateCode] = round4((totals[item.itemTemplateCode] ?? 0) + item.quantity);
      }
      return totals;
    },
  };
  return world;
}

export function round4(n: number) {
  return Math.round(n * 10_000) / 10_000;
}

/** Gives the crafter what one sword needs: 3 ingots, 1 strip (quality 0.65) and a 0.8 hammer. */
export async function swordMaterials(w: World, sets = 1) {
  await w.grant('iron_ingot', 3 * sets, 0.65);
  await w.grant('leather_strip', 1 * sets, 0.65);
  await w.grant('hammer', 1, 0.8);
}

export function startBody(w: World, extra: Record<string, unknown> = {}) {
  return {
    recipeId: w.recipeId,
    entityId: w.entityId,
    entityType: w.entityType,
    inventoryId: w.inventoryId,
    stationId: w.stationId,
    ...extra,
  };
}

export function expectError(res: { status: number; body: any }, status: number, code: string) {
  expect({ status: res.status, code: res.body?.code }).toEqual({ status, code });
}
