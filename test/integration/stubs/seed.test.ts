// The seed stub: types (idempotent upsert), seeds per owner, atomic growth, phases, and
// making the whole seed service unavailable.
import { randomUUID } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { ClientError } from '../../../src/clients/errors.js';
import { SEED_OPS } from '../../../src/clients/stubs/index.js';
import { concurrently, key, startStubs, type StubEnv } from './stub-env.js';

let env: StubEnv;

beforeAll(async () => {
  env = await startStubs();
});

afterEach(() => env.faults.disarm());

afterAll(async () => {
  await env.close();
});

const PHASES = [
  { name: 'novice', threshold: 0 },
  { name: 'apprentice', threshold: 100 },
  { name: 'journeyman', threshold: 500 },
  { name: 'expert', threshold: 1500 },
  { name: 'master', threshold: 4000 },
];

async function seeded(code = 'proficiency:blacksmithing') {
  const gameServiceId = randomUUID();
  await env.seed.registerType({ gameServiceId, code, phases: PHASES });
  const owner = { ownerId: randomUUID(), ownerType: 'character' };
  const seed = await env.seed.create({ ...owner, gameServiceId, seedTypeCode: code }, key('create'));
  return { gameServiceId, owner, seed, code };
}

describe('seed types', () => {
  it('registerType is an idempotent upsert (concurrently too) that sorts phases and can replace them', async () => {
    const gameServiceId = randomUUID();
    const shuffled = [PHASES[3]!, PHASES[0]!, PHASES[4]!, PHASES[1]!, PHASES[2]!];
    const { ok, errors } = await concurrently(10, () => env.seed.registerType({ gameServiceId, code: 'proficiency:alchemy', phases: shuffled }));
    expect(errors).toEqual([]);
    expect(ok[0]).toEqual({ gameServiceId, code: 'proficiency:alchemy', phases: PHASES });
    expect(await env.prisma.stubSeedType.count({ where: { gameServiceId } })).toBe(1);
    const replaced = await env.seed.registerType({ gameServiceId, code: 'proficiency:alchemy', phases: [{ name: 'only', threshold: 0 }] });
    expect(replaced.phases).toEqual([{ name: 'only', threshold: 0 }]);
  });

  it('registerType refuses no phases, duplicates and negative thresholds', async () => {
    const gameServiceId = randomUUID();
    for (const phases of [
      [],
      [{ name: 'a', threshold: 0 }, { name: 'a', threshold: 1 }],
      [{ name: 'a', threshold: 0 }, { name: 'b', threshold: 0 }],
      [{ name: 'a', threshold: -1 }],
      [{ name: '', threshold: 0 }],
    ]) {
      await expect(env.seed.registerType({ gameServiceId, code: 't', phases }), JSON.stringify(phases)).rejects.toMatchObject({ kind: 'invalid' });
    }
  });
});

describe('seeds', () => {
  it('create starts at growth 0 in the first phase; the key replays; another key for the same owner and type conflicts', async () => {
    const gameServiceId = randomUUID();
    await env.seed.registerType({ gameServiceId, code: 'proficiency:enchanting', phases: PHASES });
    const owner = { ownerId: randomUUID(), ownerType: 'npc' };
    const input = { ...owner, gameServiceId, seedTypeCode: 'proficiency:enchanting' };
    const k = key('create');
    const seed = await env.seed.create(input, k);
    expect(seed).toEqual({ seedId: seed.seedId, ...owner, gameServiceId, seedTypeCode: 'proficiency:enchanting', totalGrowth: 0, phase: 'novice' });
    expect(await env.seed.create(input, k)).toEqual(seed);
    await expect(env.seed.create(input, key())).rejects.toMatchObject({ kind: 'conflict' });
    await expect(env.seed.create({ ...input, seedTypeCode: 'unregistered' }, key())).rejects.toMatchObject({ kind: 'not_found' });
  });

  it('concurrent creates with different keys make one seed', async () => {
    const gameServiceId = randomUUID();
    await env.seed.registerType({ gameServiceId, code: 'proficiency:cooking', phases: PHASES });
    const input = { ownerId: randomUUID(), ownerType: 'character', gameServiceId, seedTypeCode: 'proficiency:cooking' };
    const { ok, errors } = await concurrently(10, () => env.seed.create(input, key('race')));
    expect(ok).toHaveLength(1);
    expect(errors.map((e) => (e as ClientError).kind)).toEqual(Array(9).fill('conflict'));
  });

  it('getByOwner lists the owner\'s seeds by type code, filtered by type and game service', async () => {
    const { gameServiceId, owner } = await seeded('proficiency:weaving');
    await env.seed.registerType({ gameServiceId, code: 'proficiency:alchemy', phases: PHASES });
    await env.seed.create({ ...owner, gameServiceId, seedTypeCode: 'proficiency:alchemy' }, key());
    const other = randomUUID();
    await env.seed.registerType({ gameServiceId: other, code: 'proficiency:alchemy', phases: PHASES });
    await env.seed.create({ ...owner, gameServiceId: other, seedTypeCode: 'proficiency:alchemy' }, key());

    expect((await env.seed.getByOwner({ ...owner, gameServiceId })).map((s) => s.seedTypeCode)).toEqual(['proficiency:alchemy', 'proficiency:weaving']);
    expect(await env.seed.getByOwner({ ...owner, seedTypeCode: 'proficiency:alchemy' })).toHaveLength(2);
    expect(await env.seed.getByOwner({ ...owner, seedTypeCode: 'proficiency:weaving' })).toHaveLength(1);
    expect(await env.seed.getByOwner({ ownerId: owner.ownerId, ownerType: 'npc' })).toEqual([]);
  });

  it('recordGrowth adds atomically: 40 concurrent grants all count, 20 retries of one key count once', async () => {
    const { seed } = await seeded();
    const { errors } = await concurrently(40, () =>
      env.seed.recordGrowth({ seedId: seed.seedId, domain: 'blacksmithing', amount: 2.5, source: 'test' }, key('grow')),
    );
    expect(errors).toEqual([]);
    const k = key('once');
    const retried = await concurrently(20, () =>
      env.seed.recordGrowth({ seedId: seed.seedId, domain: 'blacksmithing', amount: 0.0001, source: 'test' }, k),
    );
    expect(retried.errors).toEqual([]);
    expect(await env.seed.getPhase(seed.seedId)).toEqual({ phase: 'apprentice', totalGrowth: 100.0001, nextPhase: 'journeyman', nextThreshold: 500 });
  });

  it('recordGrowth reports the phase before and after; phases follow the thresholds', async () => {
    const { seed } = await seeded();
    const grow = (amount: number) => env.seed.recordGrowth({ seedId: seed.seedId, domain: 'blacksmithing', amount, source: 'craft' }, key());
    expect(await grow(99.9999)).toMatchObject({ totalGrowth: 99.9999, phase: 'novice', previousPhase: 'novice' });
    expect(await grow(0.0001)).toMatchObject({ totalGrowth: 100, phase: 'apprentice', previousPhase: 'novice' });
    expect(await grow(3900)).toMatchObject({ totalGrowth: 4000, phase: 'master', previousPhase: 'apprentice' });
    expect(await env.seed.getPhase(seed.seedId)).toEqual({ phase: 'master', totalGrowth: 4000, nextPhase: null, nextThreshold: null });
    for (const amount of [0, -1, Number.NaN]) await expect(grow(amount)).rejects.toMatchObject({ kind: 'invalid' });
    await expect(env.seed.recordGrowth({ seedId: randomUUID(), domain: 'x', amount: 1, source: 'y' }, key())).rejects.toMatchObject({ kind: 'not_found' });
    await expect(env.seed.getPhase(randomUUID())).rejects.toMatchObject({ kind: 'not_found' });
  });
});

describe('an unavailable seed service', () => {
  it('arming every seed op fails every call with unavailable and changes nothing; disarming restores it', async () => {
    const { gameServiceId, owner, seed, code } = await seeded();
    for (const op of SEED_OPS) env.faults.arm(op);
    const outcomes = await Promise.allSettled([
      env.seed.registerType({ gameServiceId, code, phases: PHASES }),
      env.seed.create({ ...owner, gameServiceId, seedTypeCode: 'other' }, key()),
      env.seed.getByOwner(owner),
      env.seed.recordGrowth({ seedId: seed.seedId, domain: 'blacksmithing', amount: 10, source: 'craft' }, key()),
      env.seed.getPhase(seed.seedId),
    ]);
    expect(outcomes.map((o) => (o.status === 'rejected' ? (o.reason as ClientError).kind : 'ok'))).toEqual(Array(SEED_OPS.length).fill('unavailable'));
    env.faults.disarm();
    expect(await env.seed.getPhase(seed.seedId)).toMatchObject({ phase: 'novice', totalGrowth: 0 });
  });
});
