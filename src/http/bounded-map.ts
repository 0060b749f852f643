/**
 * A Map of at most `max` entries for per-process caches: when full, the oldest half (in
 * insertion order) is dropped before a new entry goes in.
 */
export class BoundedMap<K, V> extends Map<K, V> {
  constructor(private readonly max: number) {
    super();
  }

  override set(key: K, value: V): this {
    if (!this.has(key) && this.size >= this.max) {
      let drop = Math.floor(this.max / 2);
      for (const k of this.keys()) {
        if (drop-- <= 0) break;
        this.delete(k);
      }
    }
    return super.set(key, value);
  }
}
