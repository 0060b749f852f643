import type { Redis } from 'ioredis';
import type { Logger } from '../../services/ports.js';
import type { CachedRecipe, RecipeCache } from '../../services/recipes/recipe-cache.js';

/**
 * Read-through recipe cache with race-free invalidation:
 * - id and code keys hold `version|json`; a write only replaces an entry with a
 *   lower version, so a slow reader can never put back an older recipe after a
 *   writer stored the newer one (a delete stores an empty tombstone of a higher version);
 * - the domain list is guarded by a generation counter: a reader only stores the
 *   list if the generation it saw before reading MySQL is still current.
 * Every Redis failure degrades to a miss (reads go to MySQL); failed invalidations
 * are retried in the background until Redis answers again.
 */
const SET_IF_NEWER = `
local cur = redis.call('GET', KEYS[1])
if cur then
  local sep = string.find(cur, '|', 1, true)
  if sep then
    local v = tonumber(string.sub(cur, 1, sep - 1))
    if v and v >= tonumber(ARGV[1]) then return 0 end
  end
end
redis.call('SET', KEYS[1], ARGV[1] .. '|' .. ARGV[2], 'EX', ARGV[3])
return 1`;

const SET_IF_GENERATION = `
local g = redis.call('GET', KEYS[2]) or ''
if g ~= ARGV[1] then return 0 end
redis.call('SET', KEYS[1], ARGV[2], 'EX', ARGV[3])
return 1`;

const BUMP_GENERATION = `
redis.call('INCR', KEYS[2])
redis.call('EXPIRE', KEYS[2], ARGV[1])
redis.call('DEL', KEYS[1])
return 1`;

type PendingWrite = () => Promise<unknown>;

export class RedisRecipeCache implements RecipeCache {
  private readonly pending: PendingWrite[] = [];
  private retryTimer: NodeJS.Timeout | null = null;

  constructor(
    private readonly redis: Redis,
    private readonly opts: { keyPrefix: string; ttlSeconds: number },
    private readonly log: Logger,
  ) {}

  private idKey(id: string) {
    return `${this.opts.keyPrefix}recipe:id:${id}`;
  }
  private codeKey(gameServiceId: string, code: string) {
    return `${this.opts.keyPrefix}recipe:code:${gameServiceId}:${code}`;
  }
  private domainKeys(gameServiceId: string, domain: string) {
    const base = `${this.opts.keyPrefix}recipe:domain:${gameServiceId}:${domain}`;
    return [base, `${base}:gen`] as const;
  }

  async byId(id: string, load: () => Promise<CachedRecipe | null>) {
    return this.readThrough(this.idKey(id), load);
  }

  async byCode(gameServiceId: string, code: string, load: () => Promise<CachedRecipe | null>) {
    return this.readThrough(this.codeKey(gameServiceId, code), load);
  }

  async byDomain(
    gameServiceId: string,
    domain: string,
    load: () => Promise<CachedRecipe[]>,
  ): Promise<CachedRecipe[]> {
    const [listKey, genKey] = this.domainKeys(gameServiceId, domain);
    let generation: string | null = null;
    try {
      const [cached, gen] = await this.redis.mget(listKey, genKey);
      if (cached) return JSON.parse(cached) as CachedRecipe[];
      generation = gen ?? '';
    } catch (err) {
      this.log.debug({ err }, 'recipe cache unavailable, reading MySQL');
    }
    const recipes = await load();
    if (generation !== null) {
      await this.redis
        .eval(SET_IF_GENERATION, 2, listKey, genKey, generation, JSON.stringify(recipes), this.opts.ttlSeconds)
        .catch(() => undefined);
    }
    return recipes;
  }

  /** After a committed change: store the new version, refresh the domain lists. */
  async changed(recipe: CachedRecipe, previousDomain?: string): Promise<void> {
    const json = JSON.stringify(recipe);
    const domains = new Set([recipe.recipe.domain, previousDomain ?? recipe.recipe.domain]);
    await this.write(() => this.storeVersioned(recipe, json));
    for (const domain of domains) {
      await this.write(() => this.bumpDomain(recipe.recipe.gameServiceId, domain));
    }
  }

  /** After a committed delete: tombstones so no reader resurrects the recipe. */
  async deleted(recipe: CachedRecipe): Promise<void> {
    const tombstone: CachedRecipe = { ...recipe, version: recipe.version + 1 };
    await this.write(() => this.storeVersioned(tombstone, ''));
    await this.write(() => this.bumpDomain(recipe.recipe.gameServiceId, recipe.recipe.domain));
  }

  close() {
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryTimer = null;
  }

  private async readThrough(key: string, load: () => Promise<CachedRecipe | null>) {
    try {
      const cached = await this.redis.get(key);
      if (cached) {
        const json = cached.slice(cached.indexOf('|') + 1);
        if (json) return JSON.parse(json) as CachedRecipe;
      }
    } catch (err) {
      this.log.debug({ err }, 'recipe cache unavailable, reading MySQL');
      return load();
    }
    const loaded = await load();
    if (loaded) await this.storeVersioned(loaded, JSON.stringify(loaded)).catch(() => undefined);
    return loaded;
  }

  private async storeVersioned(recipe: CachedRecipe, json: string) {
    const { recipeId, gameServiceId, code } = recipe.recipe;
    const ttl = this.opts.ttlSeconds;
    await Promise.all([
      this.redis.eval(SET_IF_NEWER, 1, this.idKey(recipeId), recipe.version, json, ttl),
      this.redis.eval(SET_IF_NEWER, 1, this.codeKey(gameServiceId, code), recipe.version, json, ttl),
    ]);
  }

  private async bumpDomain(gameServiceId: string, domain: string) {
    const [listKey, genKey] = this.domainKeys(gameServiceId, domain);
    await this.redis.eval(BUMP_GENERATION, 2, listKey, genKey, this.opts.ttlSeconds * 2);
  }

  private async write(op: PendingWrite) {
    try {
      await op();
    } catch (err) {
      this.log.warn({ err }, 'recipe cache invalidation failed; will retry');
      this.pending.push(op);
      this.scheduleRetry();
    }
  }

  private scheduleRetry() {
    if (this.retryTimer) return;
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      void this.flushPending();
    }, 1000);
    this.retryTimer.unref();
  }

  private async flushPending() {
    while (this.pending.length > 0) {
      const op = this.pending[0]!;
      try {
        await op();
        this.pending.shift();
      } catch {
        this.scheduleRetry();
        return;
      }
    }
  }
}
