import { expect } from 'vitest';
import { loadPack, readPack } from '../../scripts/lib/packs.mjs';
import type { Harness } from './harness.js';
import { newCrafter, ok } from './world.js';

export interface PackWorld {
  gs: string;
  /** Recipe code -> id. */
  recipes: Record<string, string>;
  loaded: Awaited<ReturnType<typeof loadPack>>;
}

/** Loads a pack from packs/ into a fresh game service, exactly as `npm run pack:load` does. */
export async function loadPackWorld(h: Harness, name: string): Promise<PackWorld> {
  const gs = await h.gameService();
  const pack = await readPack(name);
  const loaded = await loadPack({ pack, gameServiceId: gs, post: (path: string, body: unknown) => h.post(path, body) });
  const recipes: Record<string, string> = {};
  for (const r of loaded.recipes.created) recipes[r.code] = r.recipeId;
  expect(Object.keys(recipes).sort()).toEqual(pack.recipes.map((r: { code: string }) => r.code).sort());
  return { gs, recipes, loaded };
}

/** A crafter with an inventory holding the given items (code -> quantity, optional quality and metadata). */
export async function crafterWith(
  h: Harness,
  gs: string,
  items: { code: string; quantity: number; quality?: number; instanceMetadata?: Record<string, unknown> }[],
) {
  const crafter = await newCrafter(h, gs);
  const ids: Record<string, string> = {};
  for (const i of items) {
    const res = await ok(h, '/dev/item/grant', {
      containerId: crafter.inventoryId,
      gameServiceId: gs,
      itemTemplateCode: i.code,
      quantity: i.quantity,
      ...(i.quality !== undefined && { quality: i.quality }),
      ...(i.instanceMetadata && { instanceMetadata: i.instanceMetadata }),
    });
    ids[i.code] = res.item.instanceId as string;
  }
  return { ...crafter, ids };
}

/** Live quantity per template code in a container. */
export async function contentsOf(h: Harness, gs: string, containerId: string): Promise<Record<string, number>> {
  const res = await ok(h, '/dev/inventory/get', { containerId, gameServiceId: gs });
  const out: Record<string, number> = {};
  for (const i of res.items as { itemTemplateCode: string; quantity: number }[]) {
    out[i.itemTemplateCode] = Math.round(((out[i.itemTemplateCode] ?? 0) + i.quantity) * 1e4) / 1e4;
  }
  return out;
}

/** An item's metadata as the stub item service stores it (destroyed items too). */
export async function itemMetadata(h: Harness, itemId: string): Promise<Record<string, unknown>> {
  const row = await h.runtime.internals.prisma.stubItemInstance.findUniqueOrThrow({ where: { id: itemId } });
  return JSON.parse(row.instanceMetadata || '{}') as Record<string, unknown>;
}
