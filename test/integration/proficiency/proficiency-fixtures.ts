import { randomUUID } from 'node:crypto';
import { forgeIronSword } from '../../helpers/fixtures.js';
import type { Harness } from '../../helpers/harness.js';

/** A fresh game service with the seed's sword recipe, so `blacksmithing` is a known domain. */
export async function smithingWorld(h: Harness) {
  const gameServiceId = await h.gameService();
  const created = await h.post('/craft/recipe/create', forgeIronSword(gameServiceId));
  if (created.status !== 200) throw new Error(`creating the recipe failed: ${JSON.stringify(created.body)}`);
  return { gameServiceId, domain: 'blacksmithing' };
}

/** A fresh entity of the given world, with helpers for the four proficiency operations. */
export function crafter(h: Harness, gameServiceId: string, entityType = 'character') {
  const who = { gameServiceId, entityId: randomUUID(), entityType };
  return {
    ...who,
    get: (domain: string) => h.post('/craft/proficiency/get', { ...who, domain }),
    list: () => h.post('/craft/proficiency/list', who),
    grant: (domain: string, amount: number) => h.post('/craft/proficiency/grant', { ...who, domain, amount }),
    set: (domain: string, targetValue: number) => h.post('/craft/proficiency/set', { ...who, domain, targetValue }),
  };
}
