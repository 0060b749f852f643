import type { OwnerLookup } from './auth.js';
import { BoundedMap } from './bounded-map.js';

/**
 * The game service that owns a recipe, session or station never changes once it exists, so
 * scoped callers' owner checks are remembered per process (found owners only: an id not
 * found now is asked again). Bounded: when full, the oldest half is dropped.
 */
export function rememberOwners(owners: OwnerLookup, max = 50_000): OwnerLookup {
  const known = new BoundedMap<string, string>(max);
  const cached =
    (kind: keyof OwnerLookup) =>
    async (id: string): Promise<string | null> => {
      const key = `${kind}:${id}`;
      const hit = known.get(key);
      if (hit !== undefined) return hit;
      const owner = await owners[kind](id);
      if (owner !== null) known.set(key, owner);
      return owner;
    };
  return { recipe: cached('recipe'), session: cached('session'), station: cached('station') };
}
