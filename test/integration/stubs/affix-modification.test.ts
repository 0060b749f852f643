// The modification executor against the affix stub: the seed's two modification recipes,
// and a crash (a committed call that answered an error) followed by a re-run with a fresh
// rng from the same seed and the same keys, which ends in the same state without doubling.
import { randomUUID } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { ItemAffixState } from '../../../src/clients/affix-client.js';
import { rngFor } from '../../../src/domain/rng.js';
import { executeModification, type ModificationInput } from '../../../src/services/modification/modification-executor.js';
import { key, startStubs, type StubEnv } from './stub-env.js';

let env: StubEnv;

beforeAll(async () => {
  env = await startStubs();
});

afterEach(() => env.faults.disarm());

afterAll(async () => {
  await env.close();
});

async function catalogue() {
  const gameServiceId = randomUUID();
  const defs: [string, string, number, number, string[]][] = [
    ['fire_res_t1', 'suffix', 1, 100, ['fire', 'resistance']],
    ['fire_res_t2', 'suffix', 2, 300, ['fire', 'resistance']],
    ['fire_res_t3', 'suffix', 3, 600, ['fire', 'resistance']],
    ['cold_res_t1', 'suffix', 1, 400, ['cold', 'resistance']],
    ['lightning_res_t1', 'suffix', 1, 400, ['lightning', 'resistance']],
    ['attack_speed_t1', 'suffix', 1, 300, ['attack', 'speed']],
    ['life_t1', 'prefix', 1, 100, ['life']],
    ['life_t2', 'prefix', 2, 400, ['life']],
    ['spell_damage_t1', 'prefix', 1, 300, ['caster', 'damage']],
    ['armour_t1', 'prefix', 1, 300, ['defence']],
  ];
  for (const [code, slotType, tier, weight, tags] of defs) {
    await env.affix.createDefinition({ gameServiceId, code, slotType, tier, weight, valueMin: 0, valueMax: 100, tags });
  }
  return gameServiceId;
}

async function itemWith(gameServiceId: string, codes: string[]): Promise<string> {
  const itemInstanceId = randomUUID();
  for (const code of codes) {
    const def = await env.affix.getDefinition({ gameServiceId, code });
    await env.affix.apply({ itemInstanceId, definitionId: def!.definitionId, valuePercentileTarget: 0.5 }, key('setup'));
  }
  return itemInstanceId;
}

const shape = (s: ItemAffixState) => ({ ...s, itemInstanceId: '-' });

function run(gameServiceId: string, itemInstanceId: string, over: Partial<ModificationInput> & Pick<ModificationInput, 'operation'>) {
  return executeModification(
    { affix: env.affix },
    {
      gameServiceId,
      itemInstanceId,
      itemClass: 'staff',
      itemLevel: 80,
      config: {},
      quality: 0.7,
      rng: rngFor('4242', 'modification'),
      keyPrefix: `craft:${itemInstanceId}:affix`,
      ...over,
    },
  );
}

describe('modification recipes on the affix stub', () => {
  it('Chaos Reforge (reroll_all): fractured affixes stay; a second run with the same seed and keys changes nothing', async () => {
    const gs = await catalogue();
    const itemInstanceId = await itemWith(gs, ['life_t1', 'fire_res_t1', 'cold_res_t1']);
    await env.affix.setState({ itemInstanceId, fractureDefinitionId: (await env.affix.getDefinition({ gameServiceId: gs, code: 'life_t1' }))!.definitionId }, key());

    const first = await run(gs, itemInstanceId, { operation: 'reroll_all' });
    expect(first.affixesBefore.map((a) => a.code)).toEqual(['life_t1', 'fire_res_t1', 'cold_res_t1']);
    expect(first.removed).toEqual(['fire_res_t1', 'cold_res_t1']);
    expect(first.applied).toHaveLength(2);
    expect(first.affixesAfter[0]).toMatchObject({ code: 'life_t1', isFractured: true });
    const rows = await env.prisma.stubItemAffix.count({ where: { itemInstanceId } });
    const keys = await env.prisma.stubIdempotency.count({ where: { service: 'affix', idemKey: { startsWith: `craft:${itemInstanceId}:affix:` } } });
    expect(keys).toBe(5); // snapshot, 2 removes, 2 applies

    const second = await run(gs, itemInstanceId, { operation: 'reroll_all' });
    expect(second).toEqual(first);
    expect(await env.affix.getItem(itemInstanceId)).toEqual(first.stateAfter);
    expect(await env.prisma.stubItemAffix.count({ where: { itemInstanceId } })).toBe(rows);
    expect(await env.prisma.stubIdempotency.count({ where: { service: 'affix', idemKey: { startsWith: `craft:${itemInstanceId}:affix:` } } })).toBe(keys);
  });

  it('a crash after any committed call, then a re-run, ends exactly like an uninterrupted run', async () => {
    const gs = await catalogue();
    const start = ['life_t2', 'fire_res_t2', 'attack_speed_t1'];
    const referenceItem = await itemWith(gs, start);
    const reference = await run(gs, referenceItem, { operation: 'reroll_all' });

    for (const [op, times] of [
      ['affix.setState', 1],
      ['affix.remove', 1],
      ['affix.remove', 3],
      ['affix.apply', 1],
      ['affix.apply', 3],
    ] as const) {
      const itemInstanceId = await itemWith(gs, start);
      env.faults.arm(op, { phase: 'after', every: times, times: 1 });
      await expect(run(gs, itemInstanceId, { operation: 'reroll_all' }), `${op} #${times}`).rejects.toMatchObject({ kind: 'unavailable' });
      env.faults.disarm();
      const rerun = await run(gs, itemInstanceId, { operation: 'reroll_all' });
      expect(shape(rerun.stateAfter), `${op} #${times}`).toEqual(shape(reference.stateAfter));
      expect(rerun.applied).toEqual(reference.applied);
      expect(shape(await env.affix.getItem(itemInstanceId))).toEqual(shape(reference.stateAfter));
    }
  });

  it('Inscribe Fire Logos (apply_random, suffix, fire x5, cold and lightning x0) never adds cold or lightning, mostly fire', async () => {
    const gs = await catalogue();
    const config = { weightModifiers: { fire: 5, cold: 0, lightning: 0 }, slotType: 'suffix' };
    // Untagged-by-the-recipe suffixes (attack speed) keep their weight: 300 against 5 x 1000 for fire.
    const seen: string[] = [];
    for (let i = 0; i < 12; i++) {
      const itemInstanceId = await itemWith(gs, ['life_t2']);
      const result = await run(gs, itemInstanceId, { operation: 'apply_random', config, rng: rngFor(`seed-${i}`, 'modification') });
      expect(result.applied).toHaveLength(1);
      expect(result.applied[0]).toMatch(/^(fire_res_t[123]|attack_speed_t1)$/);
      const added = result.affixesAfter.find((a) => a.code === result.applied[0])!;
      expect(added.slotType).toBe('suffix');
      expect(added.valuePercentile).toBeGreaterThanOrEqual(0.42); // 0.6 x 0.7 + 0.4 x roll
      seen.push(added.code);
    }
    expect(seen.filter((c) => c.startsWith('fire_')).length).toBeGreaterThanOrEqual(9);
    expect(new Set(seen).size).toBeGreaterThan(1);
  });

  it('a full slot type or a corrupted item is refused before anything changes', async () => {
    const gs = await catalogue();
    const full = await itemWith(gs, ['fire_res_t1', 'cold_res_t1', 'lightning_res_t1']);
    await expect(run(gs, full, { operation: 'apply_random', config: { slotType: 'suffix' } })).rejects.toMatchObject({
      code: 'TARGET_ITEM_INVALID',
    });
    const corrupted = await itemWith(gs, ['life_t1']);
    await env.affix.setState({ itemInstanceId: corrupted, isCorrupted: true }, key());
    const before = await env.affix.getItem(corrupted);
    await expect(run(gs, corrupted, { operation: 'reroll_all' })).rejects.toMatchObject({ code: 'TARGET_ITEM_INVALID' });
    expect(await env.affix.getItem(corrupted)).toEqual(before);
  });

  it('corrupt, fracture, reroll_values, remove_random and apply_specific on the stub', async () => {
    const gs = await catalogue();
    const item = await itemWith(gs, ['life_t1', 'fire_res_t1']);
    const values = await run(gs, item, { operation: 'reroll_values', quality: 1, keyPrefix: `${item}:values` });
    expect(values.affixesAfter.every((a) => a.valuePercentile >= 0.6)).toBe(true);
    const fractured = await run(gs, item, { operation: 'fracture', keyPrefix: `${item}:fracture` });
    expect(fractured.stateAfter.isFractured).toBe(true);
    const removed = await run(gs, item, { operation: 'remove_random', keyPrefix: `${item}:remove` });
    expect(removed.affixesAfter).toHaveLength(1);
    expect(removed.affixesAfter[0]!.isFractured).toBe(true);
    const specific = await run(gs, item, { operation: 'apply_specific', config: { guaranteedAffixCode: 'armour_t1' }, keyPrefix: `${item}:specific` });
    expect(specific.applied).toEqual(['armour_t1']);
    const corrupted = await run(gs, item, { operation: 'corrupt', keyPrefix: `${item}:corrupt` });
    expect(corrupted.stateAfter.isCorrupted).toBe(true);
    expect(corrupted.affixesAfter).toEqual(specific.affixesAfter);
  });
});
