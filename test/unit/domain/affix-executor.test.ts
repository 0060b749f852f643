// The modification executor against an in-memory affix service that honours idempotency
// keys like the real one: decisions, tag weights, keys, errors and replays.
import { describe, expect, it } from 'vitest';
import type {
  AffixClient,
  AffixDefinition,
  AffixInstance,
  AffixPoolEntry,
  ItemAffixState,
} from '../../../src/clients/affix-client.js';
import { ClientError } from '../../../src/clients/errors.js';
import { CraftError } from '../../../src/domain/errors.js';
import { rngFor } from '../../../src/domain/rng.js';
import { executeModification, type ModificationInput } from '../../../src/services/modification/modification-executor.js';

const GS = 'gs-1';

class FakeAffix implements AffixClient {
  readonly defs: AffixDefinition[] = [];
  readonly items = new Map<string, ItemAffixState>();
  readonly keys = new Map<string, { op: string; result: ItemAffixState }>();
  readonly log: { op: string; key?: string; input?: unknown }[] = [];
  /** Fails the n-th effectful call (counting calls that take effect) after its effect. */
  crashAfter: number | null = null;
  private effects = 0;

  define(code: string, slotType: string, tier: number, weight: number, tags: string[] = [], extra: Partial<AffixDefinition> = {}) {
    const def: AffixDefinition = {
      definitionId: `def-${code}`,
      gameServiceId: GS,
      code,
      tags,
      slotType,
      tier,
      weight,
      valueMin: 10,
      valueMax: 20,
      validItemClasses: null,
      minItemLevel: 0,
      createdAt: new Date(0).toISOString(),
      ...extra,
    };
    this.defs.push(def);
    return def;
  }

  state(id: string): ItemAffixState {
    const s = this.items.get(id) ?? {
      itemInstanceId: id,
      affixes: [],
      isIdentified: true,
      isCorrupted: false,
      isMirrored: false,
      isFractured: false,
      maxPrefixes: 3,
      maxSuffixes: 3,
      freeSlots: {},
    };
    const used = (slot: string) => s.affixes.filter((a) => a.slotType === slot).length;
    return structuredClone({ ...s, freeSlots: { prefix: s.maxPrefixes - used('prefix'), suffix: s.maxSuffixes - used('suffix') } });
  }

  async getItem(id: string) {
    return this.state(id);
  }

  async getDefinition(q: { definitionId: string } | { gameServiceId: string; code: string }) {
    return this.defs.find((d) => ('definitionId' in q ? d.definitionId === q.definitionId : d.code === q.code && d.gameServiceId === q.gameServiceId)) ?? null;
  }

  async generatePool(input: { gameServiceId: string; itemClass: string; itemLevel: number; slotType: string; weightModifiers?: Record<string, number> }) {
    this.log.push({ op: 'generatePool', input });
    const out: AffixPoolEntry[] = [];
    for (const d of [...this.defs].sort((a, b) => (a.code < b.code ? -1 : 1))) {
      if (d.slotType !== input.slotType || d.minItemLevel > input.itemLevel) continue;
      if (d.validItemClasses && !d.validItemClasses.includes(input.itemClass)) continue;
      const weight = d.weight * (input.weightModifiers?.[d.definitionId] ?? 1);
      if (weight > 0) out.push({ definitionId: d.definitionId, code: d.code, tags: d.tags, slotType: d.slotType, tier: d.tier, weight });
    }
    return out;
  }

  private mutate(op: string, key: string, input: unknown, fn: (s: ItemAffixState) => void, itemId: string) {
    this.log.push({ op, key, input });
    const stored = this.keys.get(key);
    if (stored) {
      if (stored.op !== op) throw new ClientError('affix', 'invalid', `key ${key} was used for ${stored.op}`);
      return Promise.resolve(structuredClone(stored.result));
    }
    const s = this.state(itemId);
    fn(s);
    this.items.set(itemId, s);
    const result = this.state(itemId);
    this.keys.set(key, { op, result });
    this.effects += 1;
    if (this.crashAfter !== null && this.effects === this.crashAfter) {
      this.crashAfter = null;
      return Promise.reject(new ClientError('affix', 'unavailable', 'crash after commit'));
    }
    return Promise.resolve(structuredClone(result));
  }

  apply(input: { itemInstanceId: string; definitionId: string; valuePercentileTarget?: number }, key: string) {
    return this.mutate('apply', key, input, (s) => {
      const d = this.defs.find((x) => x.definitionId === input.definitionId)!;
      if (s.isCorrupted) throw new ClientError('affix', 'conflict', 'corrupted');
      if (s.affixes.some((a) => a.definitionId === d.definitionId)) throw new ClientError('affix', 'conflict', 'present');
      const p = input.valuePercentileTarget ?? 0.5;
      const a: AffixInstance = { definitionId: d.definitionId, code: d.code, tags: d.tags, slotType: d.slotType, tier: d.tier, value: 10 + 10 * p, valuePercentile: p, isFractured: false };
      s.affixes.push(a);
    }, input.itemInstanceId);
  }

  remove(input: { itemInstanceId: string; definitionId: string }, key: string) {
    return this.mutate('remove', key, input, (s) => {
      const a = s.affixes.find((x) => x.definitionId === input.definitionId);
      if (!a || a.isFractured) throw new ClientError('affix', 'conflict', 'cannot remove');
      s.affixes = s.affixes.filter((x) => x !== a);
    }, input.itemInstanceId);
  }

  rerollValues(input: { itemInstanceId: string; valuePercentileTarget?: number }, key: string) {
    return this.mutate('rerollValues', key, input, (s) => {
      for (const a of s.affixes) if (!a.isFractured) a.valuePercentile = input.valuePercentileTarget ?? 0.5;
    }, input.itemInstanceId);
  }

  setState(input: { itemInstanceId: string; fractureDefinitionId?: string; isCorrupted?: boolean; isFractured?: boolean }, key: string) {
    return this.mutate('setState', key, input, (s) => {
      if (input.isCorrupted !== undefined) s.isCorrupted = input.isCorrupted;
      if (input.isFractured !== undefined) s.isFractured = input.isFractured;
      if (input.fractureDefinitionId) s.affixes.find((a) => a.definitionId === input.fractureDefinitionId)!.isFractured = true;
    }, input.itemInstanceId);
  }

  createDefinition(): Promise<AffixDefinition> {
    throw new Error('not used');
  }

  setItemState(): Promise<ItemAffixState> {
    throw new Error('not used');
  }

  seedItem(id: string, codes: string[], patch: Partial<ItemAffixState> = {}) {
    const s = this.state(id);
    for (const code of codes) {
      const d = this.defs.find((x) => x.code === code)!;
      s.affixes.push({ definitionId: d.definitionId, code, tags: d.tags, slotType: d.slotType, tier: d.tier, value: 15, valuePercentile: 0.5, isFractured: false });
    }
    this.items.set(id, { ...s, ...patch });
  }
}

function input(over: Partial<ModificationInput> & Pick<ModificationInput, 'operation'>, seed = 'seed-1'): ModificationInput {
  return {
    gameServiceId: GS,
    itemInstanceId: 'item-1',
    itemClass: 'staff',
    itemLevel: 60,
    config: {},
    quality: 0.5,
    rng: rngFor(seed, 'modification'),
    keyPrefix: 'craft:s1:affix',
    ...over,
  };
}

function world() {
  const affix = new FakeAffix();
  affix.define('fire_res_t1', 'suffix', 1, 100, ['fire', 'resistance']);
  affix.define('fire_res_t2', 'suffix', 2, 300, ['fire', 'resistance']);
  affix.define('cold_res_t1', 'suffix', 1, 300, ['cold', 'resistance']);
  affix.define('lightning_res_t1', 'suffix', 1, 300, ['lightning', 'resistance']);
  affix.define('life_t1', 'prefix', 1, 200, ['life']);
  affix.define('life_t2', 'prefix', 2, 400, ['life']);
  return affix;
}

const effectful = (affix: FakeAffix) => affix.log.filter((l) => l.key !== undefined);

describe('executeModification', () => {
  it('applyRandom_inscribeFireLogos_translatesTagsToDefinitionWeights_andOnlyRollsFire', async () => {
    const affix = world();
    const config = { weightModifiers: { fire: 5, cold: 0, lightning: 0 }, slotType: 'suffix' };
    const result = await executeModification({ affix }, input({ operation: 'apply_random', config }));
    const pools = affix.log.filter((l) => l.op === 'generatePool').map((l) => (l.input as { weightModifiers?: Record<string, number> }).weightModifiers);
    expect(pools).toEqual([undefined, { 'def-fire_res_t1': 5, 'def-fire_res_t2': 5, 'def-cold_res_t1': 0, 'def-lightning_res_t1': 0 }]);
    expect(result.applied).toHaveLength(1);
    expect(result.applied[0]).toMatch(/^fire_res_t[12]$/);
    expect(result.affixesBefore).toEqual([]);
    expect(result.affixesAfter.map((a) => a.code)).toEqual(result.applied);
    expect(result.complete).toBe(true);
    expect(result.summary).toMatch(/^apply_random: applied fire_res_t[12] \(suffix, tier [12], \d+%\)$/);
    expect(effectful(affix).map((l) => [l.op, l.key])).toEqual([
      ['setState', 'craft:s1:affix:1'],
      ['apply', 'craft:s1:affix:2'],
    ]);
    // Many seeds: cold and lightning never roll.
    for (let i = 0; i < 40; i++) {
      const a = world();
      const r = await executeModification({ affix: a }, input({ operation: 'apply_random', config }, `s${i}`));
      expect(r.applied[0]).toMatch(/^fire_/);
    }
  });

  it('applyRandom_skipsDefinitionsAlreadyOnTheItem', async () => {
    const affix = world();
    affix.seedItem('item-1', ['fire_res_t2', 'cold_res_t1', 'lightning_res_t1'], { maxSuffixes: 4 });
    const result = await executeModification({ affix }, input({ operation: 'apply_random', config: { slotType: 'suffix' } }));
    expect(result.applied).toEqual(['fire_res_t1']);
  });

  it('applyRandom_higherQuality_rollsBetterTiersAndValuesMoreOften', async () => {
    const stats = async (quality: number) => {
      let tier1 = 0;
      let percentile = 0;
      for (let i = 0; i < 200; i++) {
        const affix = world();
        const r = await executeModification({ affix }, input({ operation: 'apply_random', config: { slotType: 'prefix' }, quality }, `q${i}`));
        const a = r.affixesAfter[0]!;
        if (a.tier === 1) tier1 += 1;
        percentile += a.valuePercentile;
      }
      return { tier1: tier1 / 200, percentile: percentile / 200 };
    };
    const low = await stats(0.1);
    const mid = await stats(0.5);
    const high = await stats(0.95);
    expect(mid.tier1).toBeGreaterThan(0.25); // base odds 200 / 600 = 1/3
    expect(mid.tier1).toBeLessThan(0.42);
    expect(low.tier1).toBeLessThan(mid.tier1);
    expect(high.tier1).toBeGreaterThan(mid.tier1);
    expect(low.percentile).toBeLessThan(mid.percentile);
    expect(high.percentile).toBeGreaterThan(mid.percentile);
  });

  it('applyRandom_withoutSlotType_usesTheItemsOpenSlotTypes', async () => {
    const affix = world();
    affix.seedItem('item-1', ['life_t1'], { maxPrefixes: 1 });
    const result = await executeModification({ affix }, input({ operation: 'apply_random' }));
    expect(affix.state('item-1').affixes.map((a) => a.slotType)).toEqual(['prefix', 'suffix']);
    expect(result.applied).toHaveLength(1);
  });

  it('applyRandom_noEligibleDefinition_isTargetItemInvalid_beforeAnyEffect', async () => {
    const affix = world();
    const err = await executeModification(
      { affix },
      input({ operation: 'apply_random', config: { slotType: 'suffix', weightModifiers: { resistance: 0 } } }),
    ).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CraftError);
    expect(err).toMatchObject({ code: 'TARGET_ITEM_INVALID' });
    expect(effectful(affix).map((l) => l.op)).toEqual(['setState']);
    expect(affix.state('item-1').affixes).toEqual([]);
  });

  it('removeRandom_removesOneAffixThatIsNotFractured', async () => {
    const affix = world();
    affix.seedItem('item-1', ['life_t1', 'fire_res_t1']);
    affix.items.get('item-1')!.affixes[0]!.isFractured = true;
    const result = await executeModification({ affix }, input({ operation: 'remove_random' }));
    expect(result.removed).toEqual(['fire_res_t1']);
    expect(result.affixesAfter.map((a) => a.code)).toEqual(['life_t1']);
  });

  it('rerollAll_removesEveryUnfracturedAffix_andAppliesAsManyAgain', async () => {
    const affix = world();
    affix.seedItem('item-1', ['life_t1', 'fire_res_t1', 'cold_res_t1']);
    affix.items.get('item-1')!.affixes[0]!.isFractured = true;
    const result = await executeModification({ affix }, input({ operation: 'reroll_all' }));
    expect(result.removed).toEqual(['fire_res_t1', 'cold_res_t1']);
    expect(result.applied).toHaveLength(2);
    expect(result.affixesAfter[0]).toMatchObject({ code: 'life_t1', isFractured: true });
    expect(result.affixesAfter).toHaveLength(3);
    expect(effectful(affix).map((l) => [l.op, l.key])).toEqual([
      ['setState', 'craft:s1:affix:1'],
      ['remove', 'craft:s1:affix:2'],
      ['remove', 'craft:s1:affix:3'],
      ['apply', 'craft:s1:affix:4'],
      ['apply', 'craft:s1:affix:5'],
    ]);
  });

  it('rerollAll_emptyItem_appliesOne', async () => {
    const affix = world();
    const result = await executeModification({ affix }, input({ operation: 'reroll_all' }));
    expect(result.removed).toEqual([]);
    expect(result.applied).toHaveLength(1);
  });

  it('rerollValues_setsTheQualityDerivedPercentile', async () => {
    const affix = world();
    affix.seedItem('item-1', ['life_t1', 'fire_res_t1']);
    const result = await executeModification({ affix }, input({ operation: 'reroll_values', quality: 1 }));
    const p = result.affixesAfter[0]!.valuePercentile;
    expect(p).toBeGreaterThanOrEqual(0.6);
    expect(result.affixesAfter.every((a) => a.valuePercentile === p)).toBe(true);
    expect(result.summary).toMatch(/^reroll_values: values rerolled to the \d+% percentile$/);
  });

  it('corrupt_setsTheFlag_andACorruptedItemIsRefused', async () => {
    const affix = world();
    const result = await executeModification({ affix }, input({ operation: 'corrupt' }));
    expect(result.stateAfter.isCorrupted).toBe(true);
    await expect(executeModification({ affix }, input({ operation: 'corrupt', keyPrefix: 'other' }))).rejects.toMatchObject({
      code: 'TARGET_ITEM_INVALID',
    });
  });

  it('fracture_marksOneAffixAndTheItem', async () => {
    const affix = world();
    affix.seedItem('item-1', ['life_t1', 'fire_res_t1']);
    const result = await executeModification({ affix }, input({ operation: 'fracture' }));
    expect(result.stateAfter.isFractured).toBe(true);
    expect(result.affixesAfter.filter((a) => a.isFractured)).toHaveLength(1);
    await expect(executeModification({ affix }, input({ operation: 'fracture', keyPrefix: 'again' }))).rejects.toMatchObject({
      code: 'TARGET_ITEM_INVALID',
    });
  });

  it('applySpecific_appliesTheNamedDefinition_andChecksEligibility', async () => {
    const affix = world();
    affix.define('essence_of_flame', 'suffix', 1, 0, ['fire'], { validItemClasses: ['staff'], minItemLevel: 50 });
    const result = await executeModification({ affix }, input({ operation: 'apply_specific', config: { guaranteedAffixCode: 'essence_of_flame' } }));
    expect(result.applied).toEqual(['essence_of_flame']);
    for (const [over, message] of [
      [{ itemClass: 'bow' }, /cannot roll on item class "bow"/],
      [{ itemLevel: 10 }, /needs item level 50/],
      [{}, /already has/],
      [{ config: { guaranteedAffixCode: 'nope' } }, /no affix definition "nope"/],
    ] as const) {
      const err = await executeModification(
        { affix },
        input({ operation: 'apply_specific', config: { guaranteedAffixCode: 'essence_of_flame' }, keyPrefix: `k${String(message)}`, ...over }),
      ).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(CraftError);
      expect((err as CraftError).code).toBe('TARGET_ITEM_INVALID');
      expect((err as CraftError).message).toMatch(message);
    }
    await expect(executeModification({ affix }, input({ operation: 'apply_specific', keyPrefix: 'x' }))).rejects.toMatchObject({
      code: 'RECIPE_INVALID',
    });
  });

  it('conflictOnTheFirstEffect_isTargetItemInvalid', async () => {
    const affix = world();
    const original = affix.apply.bind(affix);
    affix.apply = () => Promise.reject(new ClientError('affix', 'conflict', 'slot taken meanwhile'));
    await expect(executeModification({ affix }, input({ operation: 'apply_random' }))).rejects.toMatchObject({ code: 'TARGET_ITEM_INVALID' });
    affix.apply = original;
  });

  it('conflictAfterEffects_stopsAndReportsIncomplete', async () => {
    const affix = world();
    affix.seedItem('item-1', ['life_t1', 'fire_res_t1']);
    affix.apply = () => Promise.reject(new ClientError('affix', 'conflict', 'item locked meanwhile'));
    const result = await executeModification({ affix }, input({ operation: 'reroll_all' }));
    expect(result.complete).toBe(false);
    expect(result.removed).toEqual(['life_t1', 'fire_res_t1']);
    expect(result.applied).toEqual([]);
    expect(result.summary).toMatch(/stopped early: apply \(craft:s1:affix:4\) was refused/);
  });

  it('unavailable_propagatesAsClientError', async () => {
    const affix = world();
    affix.generatePool = () => Promise.reject(new ClientError('affix', 'unavailable', 'down'));
    const err = await executeModification({ affix }, input({ operation: 'apply_random' })).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ClientError);
    expect(err).toMatchObject({ kind: 'unavailable' });
  });

  it('crashMidway_rerunWithTheSameSeedAndKeys_endsInTheSameState', async () => {
    for (const crashAt of [1, 2, 3, 4, 5]) {
      const reference = world();
      reference.seedItem('item-1', ['life_t1', 'fire_res_t1']);
      const expected = await executeModification({ affix: reference }, input({ operation: 'reroll_all', quality: 0.8 }));

      const affix = world();
      affix.seedItem('item-1', ['life_t1', 'fire_res_t1']);
      affix.crashAfter = crashAt;
      await expect(executeModification({ affix }, input({ operation: 'reroll_all', quality: 0.8 }))).rejects.toMatchObject({ kind: 'unavailable' });
      const rerun = await executeModification({ affix }, input({ operation: 'reroll_all', quality: 0.8 }));
      expect(rerun.affixesAfter, `crash after effect ${crashAt}`).toEqual(expected.affixesAfter);
      expect(rerun.affixesBefore).toEqual(expected.affixesBefore);
      expect(affix.state('item-1')).toEqual(reference.state('item-1'));
    }
  });
});
