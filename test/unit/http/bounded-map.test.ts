import { describe, expect, it } from 'vitest';
import { BoundedMap } from '../../../src/http/bounded-map.js';

describe('BoundedMap', () => {
  it('full_dropsTheOldestHalfBeforeANewEntry_andUpdatesInPlace', () => {
    const m = new BoundedMap<string, number>(4);
    for (const [i, k] of ['a', 'b', 'c', 'd'].entries()) m.set(k, i);
    m.set('d', 9); // an update never evicts
    expect([...m.keys()]).toEqual(['a', 'b', 'c', 'd']);
    m.set('e', 4);
    expect([...m.entries()]).toEqual([['c', 2], ['d', 9], ['e', 4]]);
  });
});
