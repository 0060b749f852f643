// The affix stub: definitions, pools, apply / remove / reroll / state with their conflicts,
// idempotency keys, concurrency on one item, and fault injection.
import { randomUUID } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { ClientError } from '../../../src/clients/errors.js';
import { AFFIX_OPS } from '../../../src/clients/stubs/index.js';
import { concurrently, key, startStubs, type StubEnv } from './stub-env.js';

let env: StubEnv;

beforeAll(async () => {
  env = await startStubs();
});

afterEach(() => env.faults.disarm());

afterAll(async () => {
  await env.close();
});

const code = (label: string) => `${label}_${randomUUID().slice(0, 8)}`;

/** A game service with fire / cold suffixes in two tiers and two life prefixes. */
async function catalogue() {
  const gameServiceId = randomUUID();
  const def = (c: string, slotType: string, tier: number, weight: number, tags: string[], extra: object = {}) =>
    env.affix.createDefinition({ gameServiceId, code: c, slotType, tier, weight, valueMin: 10, valueMax: 30, tags, ...extra });
  return {
    gameServiceId,
    fireT1: await def('fire_res_t1', 'suffix', 1, 100, ['fire', 'resistance']),
    fireT2: await def('fire_res_t2', 'suffix', 2, 300, ['fire', 'resistance']),
    coldT1: await def('cold_res_t1', 'suffix', 1, 200, ['cold', 'resistance']),
    lightT1: await def('lightning_res_t1', 'suffix', 1, 200, ['lightning', 'resistance']),
    lifeT1: await def('life_t1', 'prefix', 1, 50, ['life'], { minItemLevel: 70 }),
    lifeT2: await def('life_t2', 'prefix', 2, 400, ['life'], { validItemClasses: ['staff', 'wand'] }),
    essence: await def('essence_of_flame', 'suffix', 1, 0, ['fire']),
  };
}

const kind = (e: unknown) => (e as ClientError).kind;

describe('definitions', () => {
  it('createDefinition stores every field; codes are unique per game service; bad values are invalid', async () => {
    const gameServiceId = randomUUID();
    const c = code('spell_dmg');
    const def = await env.affix.createDefinition({
      gameServiceId,
      code: c,
      slotType: 'prefix',
      tier: 3,
      weight: 250,
      valueMin: -5.5,
      valueMax: 12.25,
      tags: ['caster', 'damage', 'caster'],
      validItemClasses: ['wand'],
      minItemLevel: 12,
    });
    expect(def).toMatchObject({
      gameServiceId,
      code: c,
      slotType: 'prefix',
      tier: 3,
      weight: 250,
      valueMin: -5.5,
      valueMax: 12.25,
      tags: ['caster', 'damage'],
      validItemClasses: ['wand'],
      minItemLevel: 12,
    });
    expect(await env.affix.getDefinition({ definitionId: def.definitionId })).toEqual(def);
    expect(await env.affix.getDefinition({ gameServiceId, code: c })).toEqual(def);
    expect(await env.affix.getDefinition({ gameServiceId: randomUUID(), code: c })).toBeNull();
    expect(await env.affix.getDefinition({ definitionId: randomUUID() })).toBeNull();

    const base = { gameServiceId, slotType: 'suffix', tier: 1, weight: 1, valueMin: 0, valueMax: 1 };
    await expect(env.affix.createDefinition({ ...base, code: c })).rejects.toMatchObject({ kind: 'conflict' });
    expect((await env.affix.createDefinition({ ...base, gameServiceId: randomUUID(), code: c })).validItemClasses).toBeNull();
    for (const bad of [{ tier: 0 }, { tier: 1.5 }, { weight: -1 }, { valueMin: 2, valueMax: 1 }, { valueMin: Number.NaN }, { minItemLevel: -1 }, { tags: [''] }]) {
      await expect(env.affix.createDefinition({ ...base, code: code('bad'), ...bad }), JSON.stringify(bad)).rejects.toMatchObject({ kind: 'invalid' });
    }
  });

  it('generatePool filters by slot, class and level, leaves out weight 0, sorts by code, and applies modifiers by definition id', async () => {
    const c = await catalogue();
    const pool = (input: object) =>
      env.affix.generatePool({ gameServiceId: c.gameServiceId, itemClass: 'staff', itemLevel: 60, slotType: 'suffix', ...input });
    expect((await pool({})).map((e) => [e.code, e.weight])).toEqual([
      ['cold_res_t1', 200],
      ['fire_res_t1', 100],
      ['fire_res_t2', 300],
      ['lightning_res_t1', 200],
    ]);
    expect(await pool({})).toContainEqual({
      definitionId: c.fireT1.definitionId,
      code: 'fire_res_t1',
      tags: ['fire', 'resistance'],
      slotType: 'suffix',
      tier: 1,
      weight: 100,
    });
    expect((await pool({ slotType: 'prefix' })).map((e) => e.code)).toEqual(['life_t2']);
    expect((await pool({ slotType: 'prefix', itemLevel: 70 })).map((e) => e.code)).toEqual(['life_t1', 'life_t2']);
    expect((await pool({ slotType: 'prefix', itemLevel: 70, itemClass: 'sword' })).map((e) => e.code)).toEqual(['life_t1']);
    const modified = await pool({ weightModifiers: { [c.fireT1.definitionId]: 5, [c.coldT1.definitionId]: 0, [randomUUID()]: 2 } });
    expect(modified.map((e) => [e.code, e.weight])).toEqual([
      ['fire_res_t1', 500],
      ['fire_res_t2', 300],
      ['lightning_res_t1', 200],
    ]);
    await expect(pool({ weightModifiers: { [c.fireT1.definitionId]: -1 } })).rejects.toMatchObject({ kind: 'invalid' });
    expect(await pool({ gameServiceId: randomUUID() })).toEqual([]);
  });
});

describe('items', () => {
  it('an unknown item is identified, clean, 3 + 3 slots, no affixes, and reading it creates nothing', async () => {
    const itemInstanceId = randomUUID();
    expect(await env.affix.getItem(itemInstanceId)).toEqual({
      itemInstanceId,
      affixes: [],
      isIdentified: true,
      isCorrupted: false,
      isMirrored: false,
      isFractured: false,
      maxPrefixes: 3,
      maxSuffixes: 3,
      freeSlots: { prefix: 3, suffix: 3 },
    });
    expect(await env.prisma.stubAffixItem.count({ where: { itemInstanceId } })).toBe(0);
  });

  it('apply rolls the value at the target percentile, lists affixes in order, and is applied once per key', async () => {
    const c = await catalogue();
    const itemInstanceId = randomUUID();
    const k = key('apply');
    const { ok, errors } = await concurrently(20, () =>
      env.affix.apply({ itemInstanceId, definitionId: c.fireT2.definitionId, valuePercentileTarget: 0.75 }, k),
    );
    expect(errors).toEqual([]);
    expect(new Set(ok.map((s) => JSON.stringify(s))).size).toBe(1);
    const after = await env.affix.apply({ itemInstanceId, definitionId: c.lifeT2.definitionId, valuePercentileTarget: 0 }, key());
    expect(after.affixes).toEqual([
      {
        definitionId: c.fireT2.definitionId,
        code: 'fire_res_t2',
        tags: ['fire', 'resistance'],
        slotType: 'suffix',
        tier: 2,
        value: 25,
        valuePercentile: 0.75,
        isFractured: false,
      },
      expect.objectContaining({ code: 'life_t2', value: 10, valuePercentile: 0 }),
    ]);
    expect(after.freeSlots).toEqual({ prefix: 2, suffix: 2 });
    expect(await env.affix.getItem(itemInstanceId)).toEqual(after);
    // Without a target the percentile is random but within range.
    const random = await env.affix.apply({ itemInstanceId, definitionId: c.coldT1.definitionId }, key());
    const cold = random.affixes.find((a) => a.code === 'cold_res_t1')!;
    expect(cold.valuePercentile).toBeGreaterThanOrEqual(0);
    expect(cold.valuePercentile).toBeLessThanOrEqual(1);
    expect(cold.value).toBeCloseTo(10 + 20 * cold.valuePercentile, 3);
  });

  it('apply conflicts: already present, slot full, corrupted, mirrored; unknown definition; bad percentile', async () => {
    const c = await catalogue();
    const itemInstanceId = randomUUID();
    const apply = (definitionId: string, extra: object = {}) => env.affix.apply({ itemInstanceId, definitionId, ...extra }, key());
    await env.affix.setItemState({ itemInstanceId, maxSuffixes: 2 }, key());
    await apply(c.fireT1.definitionId);
    await expect(apply(c.fireT1.definitionId)).rejects.toMatchObject({ kind: 'conflict' });
    await apply(c.coldT1.definitionId);
    await expect(apply(c.lightT1.definitionId)).rejects.toMatchObject({ kind: 'conflict', message: expect.stringMatching(/no free suffix slot/) });
    await expect(apply(randomUUID())).rejects.toMatchObject({ kind: 'not_found' });
    await expect(apply(c.lifeT2.definitionId, { valuePercentileTarget: 1.5 })).rejects.toMatchObject({ kind: 'invalid' });

    await env.affix.setItemState({ itemInstanceId, isCorrupted: true }, key());
    await expect(apply(c.lifeT2.definitionId)).rejects.toMatchObject({ kind: 'conflict', message: expect.stringMatching(/corrupted/) });
    await env.affix.setItemState({ itemInstanceId, isCorrupted: false, isMirrored: true }, key());
    await expect(apply(c.lifeT2.definitionId)).rejects.toMatchObject({ kind: 'conflict', message: expect.stringMatching(/mirrored/) });
    expect((await env.affix.getItem(itemInstanceId)).affixes.map((a) => a.code)).toEqual(['fire_res_t1', 'cold_res_t1']);
  });

  it('concurrent applies never overfill a slot type', async () => {
    const gameServiceId = randomUUID();
    const defs = await Promise.all(
      Array.from({ length: 12 }, (_, i) =>
        env.affix.createDefinition({ gameServiceId, code: `suffix_${i}`, slotType: 'suffix', tier: 1, weight: 1, valueMin: 0, valueMax: 1 }),
      ),
    );
    const itemInstanceId = randomUUID();
    const { ok, errors } = await concurrently(12, (i) => env.affix.apply({ itemInstanceId, definitionId: defs[i]!.definitionId }, key('race')));
    expect(ok).toHaveLength(3);
    expect(errors.map(kind)).toEqual(Array(9).fill('conflict'));
    const item = await env.affix.getItem(itemInstanceId);
    expect(item.affixes).toHaveLength(3);
    expect(item.freeSlots.suffix).toBe(0);
  });

  it('remove: only present, unfractured affixes of a modifiable item', async () => {
    const c = await catalogue();
    const itemInstanceId = randomUUID();
    await env.affix.apply({ itemInstanceId, definitionId: c.fireT1.definitionId }, key());
    await env.affix.apply({ itemInstanceId, definitionId: c.coldT1.definitionId }, key());
    await env.affix.setState({ itemInstanceId, fractureDefinitionId: c.fireT1.definitionId }, key());
    await expect(env.affix.remove({ itemInstanceId, definitionId: c.fireT1.definitionId }, key())).rejects.toMatchObject({ kind: 'conflict' });
    await expect(env.affix.remove({ itemInstanceId, definitionId: c.lightT1.definitionId }, key())).rejects.toMatchObject({ kind: 'conflict' });
    const k = key('remove');
    const after = await env.affix.remove({ itemInstanceId, definitionId: c.coldT1.definitionId }, k);
    expect(after.affixes.map((a) => a.code)).toEqual(['fire_res_t1']);
    expect(await env.affix.remove({ itemInstanceId, definitionId: c.coldT1.definitionId }, k)).toEqual(after);
  });

  it('rerollValues rerolls every unfractured affix to the target', async () => {
    const c = await catalogue();
    const itemInstanceId = randomUUID();
    await env.affix.apply({ itemInstanceId, definitionId: c.fireT1.definitionId, valuePercentileTarget: 0.1 }, key());
    await env.affix.apply({ itemInstanceId, definitionId: c.coldT1.definitionId, valuePercentileTarget: 0.1 }, key());
    await env.affix.setState({ itemInstanceId, fractureDefinitionId: c.fireT1.definitionId }, key());
    const after = await env.affix.rerollValues({ itemInstanceId, valuePercentileTarget: 0.9 }, key());
    expect(after.affixes.map((a) => [a.code, a.valuePercentile, a.value])).toEqual([
      ['fire_res_t1', 0.1, 12],
      ['cold_res_t1', 0.9, 28],
    ]);
    await env.affix.setItemState({ itemInstanceId, isCorrupted: true }, key());
    await expect(env.affix.rerollValues({ itemInstanceId }, key())).rejects.toMatchObject({ kind: 'conflict' });
  });

  it('setState: a keyed no-op is a snapshot that replays as it was; corrupted and mirrored items refuse changes', async () => {
    const c = await catalogue();
    const itemInstanceId = randomUUID();
    const snapshotKey = key('snapshot');
    const snapshot = await env.affix.setState({ itemInstanceId }, snapshotKey);
    expect(snapshot.affixes).toEqual([]);
    await env.affix.apply({ itemInstanceId, definitionId: c.fireT1.definitionId }, key());
    expect(await env.affix.setState({ itemInstanceId }, snapshotKey)).toEqual(snapshot);
    expect((await env.affix.setState({ itemInstanceId }, key())).affixes).toHaveLength(1);

    const fractured = await env.affix.setState({ itemInstanceId, fractureDefinitionId: c.fireT1.definitionId }, key());
    expect(fractured.isFractured).toBe(true);
    expect(fractured.affixes[0]!.isFractured).toBe(true);
    await expect(env.affix.setState({ itemInstanceId, fractureDefinitionId: c.coldT1.definitionId }, key())).rejects.toMatchObject({ kind: 'conflict' });

    await env.affix.setState({ itemInstanceId, isIdentified: false }, key());
    const corrupted = await env.affix.setState({ itemInstanceId, isCorrupted: true }, key());
    expect(corrupted).toMatchObject({ isCorrupted: true, isIdentified: false });
    // Corrupted: identifying is allowed, and a no-op; any other change is a conflict.
    expect((await env.affix.setState({ itemInstanceId, isCorrupted: true }, key())).isCorrupted).toBe(true);
    expect((await env.affix.setState({ itemInstanceId, isIdentified: true }, key())).isIdentified).toBe(true);
    await expect(env.affix.setState({ itemInstanceId, isCorrupted: false }, key())).rejects.toMatchObject({ kind: 'conflict' });
    await expect(env.affix.setState({ itemInstanceId, isMirrored: true }, key())).rejects.toMatchObject({ kind: 'conflict' });

    const other = randomUUID();
    await env.affix.setState({ itemInstanceId: other, isMirrored: true }, key());
    await expect(env.affix.setState({ itemInstanceId: other, isIdentified: false }, key())).rejects.toMatchObject({ kind: 'conflict' });
    await expect(env.affix.setState({ itemInstanceId: other, isCorrupted: 'yes' as unknown as boolean }, key())).rejects.toMatchObject({
      kind: 'invalid',
    });
  });

  it('setItemState (admin) sets flags and limits, refuses limits below the affixes present, and un-fractures', async () => {
    const c = await catalogue();
    const itemInstanceId = randomUUID();
    await env.affix.apply({ itemInstanceId, definitionId: c.fireT1.definitionId }, key());
    await env.affix.apply({ itemInstanceId, definitionId: c.coldT1.definitionId }, key());
    await env.affix.setState({ itemInstanceId, fractureDefinitionId: c.fireT1.definitionId, isCorrupted: true }, key());
    await expect(env.affix.setItemState({ itemInstanceId, maxSuffixes: 1 }, key())).rejects.toMatchObject({ kind: 'invalid' });
    const after = await env.affix.setItemState(
      { itemInstanceId, isCorrupted: false, isFractured: false, isIdentified: false, maxPrefixes: 0, maxSuffixes: 2 },
      key(),
    );
    expect(after).toMatchObject({
      isCorrupted: false,
      isFractured: false,
      isIdentified: false,
      maxPrefixes: 0,
      maxSuffixes: 2,
      freeSlots: { prefix: 0, suffix: 0 },
    });
    expect(after.affixes.every((a) => !a.isFractured)).toBe(true);
  });
});

describe('faults', () => {
  it('arming every affix op makes the whole service unavailable; disarming restores it', async () => {
    const c = await catalogue();
    const itemInstanceId = randomUUID();
    for (const op of AFFIX_OPS) env.faults.arm(op);
    const calls = [
      env.affix.getItem(itemInstanceId),
      env.affix.getDefinition({ definitionId: c.fireT1.definitionId }),
      env.affix.generatePool({ gameServiceId: c.gameServiceId, itemClass: 'staff', itemLevel: 1, slotType: 'suffix' }),
      env.affix.apply({ itemInstanceId, definitionId: c.fireT1.definitionId }, key()),
      env.affix.remove({ itemInstanceId, definitionId: c.fireT1.definitionId }, key()),
      env.affix.rerollValues({ itemInstanceId }, key()),
      env.affix.setState({ itemInstanceId }, key()),
      env.affix.createDefinition({ gameServiceId: c.gameServiceId, code: code('x'), slotType: 'prefix', tier: 1, weight: 1, valueMin: 0, valueMax: 1 }),
      env.affix.setItemState({ itemInstanceId }, key()),
    ];
    const outcomes = await Promise.allSettled(calls);
    expect(outcomes.map((o) => (o.status === 'rejected' ? kind(o.reason) : 'ok'))).toEqual(Array(AFFIX_OPS.length).fill('unavailable'));
    env.faults.disarm();
    expect((await env.affix.getItem(itemInstanceId)).affixes).toEqual([]);
  });

  it('after: the affix is applied although the call failed; the retry with the key applies nothing more', async () => {
    const c = await catalogue();
    const itemInstanceId = randomUUID();
    env.faults.arm('affix.apply', { times: 1, phase: 'after' });
    const k = key();
    await expect(env.affix.apply({ itemInstanceId, definitionId: c.fireT1.definitionId, valuePercentileTarget: 0.5 }, k)).rejects.toMatchObject({
      kind: 'unavailable',
    });
    expect((await env.affix.getItem(itemInstanceId)).affixes).toHaveLength(1);
    const retried = await env.affix.apply({ itemInstanceId, definitionId: c.fireT1.definitionId, valuePercentileTarget: 0.5 }, k);
    expect(retried.affixes).toHaveLength(1);
    expect(await env.prisma.stubItemAffix.count({ where: { itemInstanceId } })).toBe(1);
  });
});
