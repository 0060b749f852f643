import type { ItemClient, ItemTemplate } from '../../clients/item-client.js';

/**
 * A game service's item templates by id, shared by every start and query of a process for
 * TEMPLATE_CACHE_MS: a game service's template list (often thousands) is read once per
 * interval instead of once per request. A template created since is looked up on its own, so
 * only a changed template (category, tags, tier) can be stale, for at most the TTL.
 */
export const TEMPLATE_CACHE_MS = 30_000;

export class TemplateCache {
  private readonly entries = new Map<string, { at: number; map: Promise<Map<string, ItemTemplate>> }>();
  constructor(
    private readonly item: Pick<ItemClient, 'listTemplates' | 'getTemplate'>,
    private readonly now: () => number = Date.now,
  ) {}

  of(gameServiceId: string): Promise<Map<string, ItemTemplate>> {
    const hit = this.entries.get(gameServiceId);
    if (hit && this.now() - hit.at < TEMPLATE_CACHE_MS) return hit.map;
    const map = this.item.listTemplates(gameServiceId).then((ts) => new Map(ts.map((t) => [t.templateId, t])));
    // A failed read is not cached.
    map.catch(() => this.entries.delete(gameServiceId));
    if (this.entries.size > 1000) this.entries.clear();
    this.entries.set(gameServiceId, { at: this.now(), map });
    return map;
  }

  /** The templates of these ids (those of the game service from the list, any other on its own); unknown ids are left out. */
  async lookup(gameServiceId: string, templateIds: Iterable<string>): Promise<Map<string, ItemTemplate>> {
    const all = await this.of(gameServiceId);
    const result = new Map<string, ItemTemplate>();
    const others: string[] = [];
    for (const id of new Set(templateIds)) {
      const t = all.get(id);
      if (t) result.set(id, t);
      else others.push(id);
    }
    const fetched = await Promise.all(others.map((id) => this.item.getTemplate({ templateId: id, gameId: gameServiceId })));
    for (const t of fetched) if (t) result.set(t.templateId, t);
    return result;
  }
}
