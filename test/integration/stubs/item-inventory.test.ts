// The item and inventory stubs: persistence, idempotent replays, guarded transfers and
// splits under concurrency, soft deletes, stacks merged on return, and tenancy (every call
// names its game service; another game service's items and containers are unknown). No
// item is ever duplicated or lost.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ClientError } from '../../../src/clients/errors.js';
import { concurrently, key, startStubs, type StubEnv } from './stub-env.js';

let env: StubEnv;

beforeAll(async () => {
  env = await startStubs();
});

afterAll(async () => {
  await env.close();
});

/** A fresh game service with a template, an owner and the owner's inventory. */
async function world() {
  const gameServiceId = randomUUID();
  const template = await env.item.createTemplate({ gameServiceId, code: `iron_ore_${randomUUID().slice(0, 8)}`, category: 'material' });
  const owner = randomUUID();
  const inventory = await env.inventory.createContainer(
    { ownerId: owner, ownerType: 'character', containerType: 'inventory', gameServiceId },
    key('inv'),
  );
  const grant = (
    quantity: number,
    metadata: Record<string, unknown> = { quality: 0.7 },
    where: { containerId?: string; realmId?: string; originType?: 'Grant' | 'Craft' | 'Loot'; originId?: string } = {},
  ) =>
    env.item.createInstance(
      {
        templateId: template.templateId,
        containerId: where.containerId ?? inventory.containerId,
        realmId: where.realmId ?? gameServiceId,
        quantity,
        instanceMetadata: metadata,
        originType: where.originType ?? 'Grant',
        ...(where.originId && { originId: where.originId }),
      },
      key('grant'),
    );
  const escrow = () =>
    env.inventory.createContainer(
      { ownerId: randomUUID(), ownerType: 'craft-session', containerType: 'craft_escrow', gameServiceId },
      key('escrow'),
    );
  /** A transfer in this game service. */
  const transfer = (
    input: { instanceId: string; sourceContainerId: string; targetContainerId: string; quantity?: number; mergeStacks?: boolean },
    k = key('transfer'),
  ) => env.inventory.transfer({ ...input, gameServiceId }, k);
  const count = (containerId: string) => env.inventory.count({ containerId, templateId: template.templateId, gameServiceId });
  const get = (instanceId: string) => env.item.getInstance(instanceId, gameServiceId);
  /** Ids of the live instances in a container, oldest first. */
  const contents = async (containerId: string) =>
    (await env.inventory.getContainer(containerId, true, gameServiceId))!.contents!.map((i) => i.instanceId);
  return { gameServiceId, template, owner, inventory, grant, escrow, transfer, count, get, contents };
}

/** Live quantity of a template across every container, read from the table. */
async function liveTotal(templateId: string): Promise<number> {
  const agg = await env.prisma.stubItemInstance.aggregate({ where: { templateId, destroyedAt: null }, _sum: { quantity: true } });
  return Number(agg._sum.quantity ?? 0);
}

/** The stored row, destroyed or not. */
const rowOf = (instanceId: string) => env.prisma.stubItemInstance.findUniqueOrThrow({ where: { id: instanceId } });

function kindOf(err: unknown) {
  return err instanceof ClientError ? err.kind : String(err);
}

describe('game-service stub (table stub_game_service)', () => {
  it('registers, gets by id and by name, and refuses a taken name', async () => {
    const name = `gs-${randomUUID().slice(0, 12)}`;
    const gs = await env.gameService.register({ stubName: name, displayName: 'Game' });
    expect(await env.gameService.get({ serviceId: gs.serviceId })).toEqual(gs);
    expect(await env.gameService.get({ stubName: name })).toEqual(gs);
    await expect(env.gameService.register({ stubName: name, displayName: 'Again' })).rejects.toMatchObject({ kind: 'conflict' });
    expect((await env.gameService.list()).map((g) => g.serviceId)).toContain(gs.serviceId);
  });
});

describe('item templates', () => {
  it('creates, finds by id and by code, lists sorted, and refuses a duplicate code', async () => {
    const gs = randomUUID();
    const b = await env.item.createTemplate({ gameServiceId: gs, code: 'b_sword', category: 'weapon', itemClass: 'sword', itemLevel: 5 });
    const a = await env.item.createTemplate({ gameServiceId: gs, code: 'a_ore', category: 'material', qualityModel: 'none' });
    expect(b).toMatchObject({ code: 'b_sword', gameServiceId: gs, category: 'weapon', itemClass: 'sword', itemLevel: 5, qualityModel: 'continuous' });
    expect(await env.item.getTemplate({ gameId: gs, templateId: a.templateId })).toEqual(a);
    expect(await env.item.getTemplate({ code: 'b_sword', gameId: gs })).toEqual(b);
    expect(await env.item.getTemplate({ code: 'b_sword', gameId: randomUUID() })).toBeNull();
    expect((await env.item.listTemplates(gs)).map((t) => t.code)).toEqual(['a_ore', 'b_sword']);
    await expect(env.item.createTemplate({ gameServiceId: gs, code: 'a_ore', category: 'x' })).rejects.toMatchObject({ kind: 'conflict' });
    await expect(env.item.getTemplate({ gameId: gs })).rejects.toMatchObject({ kind: 'invalid' });
    await expect(env.item.getTemplate({ gameId: '', templateId: a.templateId })).rejects.toMatchObject({ kind: 'invalid' });
  });

  it('the same code in two game services names two different templates', async () => {
    const [gsA, gsB] = [randomUUID(), randomUUID()];
    const a = await env.item.createTemplate({ gameServiceId: gsA, code: 'sword', category: 'weapon' });
    const b = await env.item.createTemplate({ gameServiceId: gsB, code: 'sword', category: 'weapon' });
    expect(b.templateId).not.toBe(a.templateId);
    expect(await env.item.getTemplate({ gameId: gsA, code: 'sword' })).toEqual(a);
    expect(await env.item.getTemplate({ gameId: gsB, code: 'sword' })).toEqual(b);
  });
});

describe('item instances', () => {
  it('createInstance is idempotent: a replay returns the same instance and creates nothing', async () => {
    const w = await world();
    const input = {
      templateId: w.template.templateId,
      containerId: w.inventory.containerId,
      realmId: w.gameServiceId,
      quantity: 3.5,
      instanceMetadata: { quality: 0.8, note: 'x' },
      originType: 'Craft' as const,
      originId: 'session-1',
    };
    const k = key('create');
    const first = await env.item.createInstance(input, k);
    const again = await env.item.createInstance(input, k);
    expect(again).toEqual(first);
    expect(first).toMatchObject({
      templateCode: w.template.code,
      gameServiceId: w.gameServiceId,
      containerId: w.inventory.containerId,
      quantity: 3.5,
      quality: 0.8,
      instanceMetadata: { quality: 0.8, note: 'x' },
      originType: 'Craft',
      originId: 'session-1',
    });
    expect(await env.item.getInstance(first.instanceId, w.gameServiceId)).toEqual(first);
    expect(await env.prisma.stubItemInstance.count({ where: { templateId: w.template.templateId } })).toBe(1);
  });

  it('50 concurrent createInstance calls with the same key create one instance', async () => {
    const w = await world();
    const k = key('same');
    const { ok, errors } = await concurrently(50, () =>
      env.item.createInstance(
        { templateId: w.template.templateId, containerId: w.inventory.containerId, realmId: 'r', quantity: 1, originType: 'Loot' },
        k,
      ),
    );
    expect(errors).toEqual([]);
    expect(new Set(ok.map((i) => i.instanceId)).size).toBe(1);
    expect(await env.prisma.stubItemInstance.count({ where: { templateId: w.template.templateId } })).toBe(1);
  });

  it('50 concurrent calls with the same key that all fail: each gets the real error (no deadlock leaks)', async () => {
    const w = await world();
    const k = key('fail');
    const { ok, errors } = await concurrently(50, () =>
      env.item.createInstance(
        { templateId: w.template.templateId, containerId: randomUUID(), realmId: 'r', quantity: 1, originType: 'Loot' },
        k,
      ),
    );
    expect(ok).toEqual([]);
    expect(errors.map(kindOf)).toEqual(Array(50).fill('not_found'));
    // The key holds no result, so a corrected call with it still runs.
    const row = await env.prisma.stubIdempotency.findUniqueOrThrow({ where: { service_idemKey: { service: 'item', idemKey: k } } });
    expect(row.result).toBeNull();
    const created = await env.item.createInstance(
      { templateId: w.template.templateId, containerId: w.inventory.containerId, realmId: 'r', quantity: 1, originType: 'Loot' },
      k,
    );
    expect(created.containerId).toBe(w.inventory.containerId);
  });

  it('rejects unknown templates and containers and bad quantities', async () => {
    const w = await world();
    const base = { templateId: w.template.templateId, containerId: w.inventory.containerId, realmId: 'r', quantity: 1, originType: 'Grant' as const };
    await expect(env.item.createInstance({ ...base, templateId: randomUUID() }, key())).rejects.toMatchObject({ kind: 'not_found' });
    await expect(env.item.createInstance({ ...base, containerId: randomUUID() }, key())).rejects.toMatchObject({ kind: 'not_found' });
    await expect(env.item.createInstance({ ...base, quantity: 0 }, key())).rejects.toMatchObject({ kind: 'invalid' });
    await expect(env.item.createInstance({ ...base, quantity: -2 }, key())).rejects.toMatchObject({ kind: 'invalid' });
    await expect(env.item.createInstance(base, '')).rejects.toMatchObject({ kind: 'invalid' });
  });

  it('a failed call does not burn its key: the same key works once the input is fixed', async () => {
    const w = await world();
    const k = key('retry');
    const base = { templateId: w.template.templateId, containerId: w.inventory.containerId, realmId: 'r', quantity: 1, originType: 'Grant' as const };
    await expect(env.item.createInstance({ ...base, containerId: randomUUID() }, k)).rejects.toMatchObject({ kind: 'not_found' });
    const created = await env.item.createInstance(base, k);
    expect(created.containerId).toBe(w.inventory.containerId);
  });

  it('a key reused for another operation is refused', async () => {
    const w = await world();
    const item = await w.grant(2);
    const k = key('reuse');
    await env.item.modifyInstance({ instanceId: item.instanceId, gameServiceId: w.gameServiceId, quantityDelta: 1 }, k);
    await expect(
      env.item.destroyInstance({ instanceId: item.instanceId, gameServiceId: w.gameServiceId, reason: 'Consumed' }, k),
    ).rejects.toMatchObject({ kind: 'invalid' });
    expect(await w.get(item.instanceId)).not.toBeNull();
  });

  it('destroyInstance soft-deletes once; a replay succeeds, a new key is not_found', async () => {
    const w = await world();
    const item = await w.grant(2);
    const k = key('destroy');
    const input = { instanceId: item.instanceId, gameServiceId: w.gameServiceId, reason: 'Consumed' as const };
    await env.item.destroyInstance(input, k);
    await env.item.destroyInstance(input, k);
    await expect(env.item.destroyInstance(input, key())).rejects.toMatchObject({ kind: 'not_found' });
    expect(await w.get(item.instanceId)).toBeNull();
    expect(await env.item.batchGetInstances([item.instanceId], w.gameServiceId)).toEqual({ items: [], notFound: [item.instanceId] });
    const row = await rowOf(item.instanceId);
    expect(row.destroyReason).toBe('Consumed');
    expect(row.destroyedAt).toBeInstanceOf(Date);
    expect(Number(row.quantity)).toBe(2);
  });

  it('50 concurrent destroys with different keys: exactly one succeeds', async () => {
    const w = await world();
    const item = await w.grant(1);
    const { ok, errors } = await concurrently(50, () =>
      env.item.destroyInstance({ instanceId: item.instanceId, gameServiceId: w.gameServiceId, reason: 'Consumed' }, key()),
    );
    expect(ok).toHaveLength(1);
    expect(errors.map(kindOf)).toEqual(Array(49).fill('not_found'));
  });

  it('modifyInstance changes quantity, merges metadata and moves; a replay applies once', async () => {
    const w = await world();
    const other = await w.escrow();
    const item = await w.grant(5, { quality: 0.5, a: 1 });
    const k = key('modify');
    const input = {
      instanceId: item.instanceId,
      gameServiceId: w.gameServiceId,
      quantityDelta: -2,
      instanceMetadata: { quality: 0.9, b: 2 },
      newContainerId: other.containerId,
    };
    const first = await env.item.modifyInstance(input, k);
    expect(await env.item.modifyInstance(input, k)).toEqual(first);
    expect(first).toMatchObject({ quantity: 3, quality: 0.9, instanceMetadata: { quality: 0.9, a: 1, b: 2 }, containerId: other.containerId });
    await expect(
      env.item.modifyInstance({ instanceId: item.instanceId, gameServiceId: w.gameServiceId, quantityDelta: -3 }, key()),
    ).rejects.toMatchObject({ kind: 'conflict' });
  });

  it('batchGetInstances reports what it found and what it did not', async () => {
    const w = await world();
    const a = await w.grant(1);
    const b = await w.grant(2);
    const missing = randomUUID();
    const res = await env.item.batchGetInstances([a.instanceId, missing, b.instanceId], w.gameServiceId);
    expect(res.items.map((i) => i.instanceId)).toEqual([a.instanceId, b.instanceId]);
    expect(res.notFound).toEqual([missing]);
  });
});

describe('inventory', () => {
  it('getContainer lists live contents oldest first; count and has sum quantities', async () => {
    const w = await world();
    const a = await w.grant(2);
    const b = await w.grant(3.25);
    const c = await w.grant(1);
    await env.item.destroyInstance({ instanceId: c.instanceId, gameServiceId: w.gameServiceId, reason: 'Destroyed' }, key());
    const container = await env.inventory.getContainer(w.inventory.containerId, true, w.gameServiceId);
    expect(container).toMatchObject({
      containerId: w.inventory.containerId,
      ownerId: w.owner,
      ownerType: 'character',
      containerType: 'inventory',
      gameServiceId: w.gameServiceId,
    });
    expect(container!.contents!.map((i) => i.instanceId)).toEqual([a.instanceId, b.instanceId]);
    expect((await env.inventory.getContainer(w.inventory.containerId, false, w.gameServiceId))!.contents).toBeUndefined();
    expect(await env.inventory.getContainer(randomUUID(), true, w.gameServiceId)).toBeNull();
    expect(await w.count(w.inventory.containerId)).toBe(5.25);

    const other = randomUUID();
    expect(
      await env.inventory.has({
        ownerId: w.owner,
        ownerType: 'character',
        gameServiceId: w.gameServiceId,
        requirements: [
          { templateId: w.template.templateId, quantity: 5 },
          { templateId: other, quantity: 1 },
        ],
      }),
    ).toEqual({ hasAll: false, missing: [{ templateId: other, required: 1, available: 0 }] });
    expect(
      await env.inventory.has({
        ownerId: w.owner,
        ownerType: 'character',
        gameServiceId: w.gameServiceId,
        requirements: [{ templateId: w.template.templateId, quantity: 5.25 }],
      }),
    ).toEqual({ hasAll: true, missing: [] });
  });

  it('createContainer is idempotent', async () => {
    const k = key('container');
    const input = { ownerId: randomUUID(), ownerType: 'character', containerType: 'inventory', gameServiceId: randomUUID() };
    const { ok, errors } = await concurrently(20, () => env.inventory.createContainer(input, k));
    expect(errors).toEqual([]);
    expect(new Set(ok.map((c) => c.containerId)).size).toBe(1);
    expect(ok[0]).toMatchObject({ ...input, containerId: ok[0]!.containerId });
    expect(await env.prisma.stubContainer.count({ where: { ownerId: input.ownerId } })).toBe(1);
    await expect(env.inventory.createContainer({ ...input, gameServiceId: '' }, key())).rejects.toMatchObject({ kind: 'invalid' });
  });

  it('listContainers lists an owner\'s containers of a game service, oldest first, filtered by type', async () => {
    const w = await world();
    const bag = await env.inventory.createContainer(
      { ownerId: w.owner, ownerType: 'character', containerType: 'bag', gameServiceId: w.gameServiceId },
      key(),
    );
    const all = await env.inventory.listContainers({ ownerId: w.owner, ownerType: 'character', gameServiceId: w.gameServiceId });
    expect(all.map((c) => c.containerId)).toEqual([w.inventory.containerId, bag.containerId]);
    const bags = await env.inventory.listContainers({
      ownerId: w.owner,
      ownerType: 'character',
      gameServiceId: w.gameServiceId,
      containerType: 'bag',
    });
    expect(bags).toEqual([bag]);
  });

  it('transfer of the whole stack moves the instance; a replay returns the same id', async () => {
    const w = await world();
    const escrow = await w.escrow();
    const item = await w.grant(4);
    const k = key('move');
    const input = {
      instanceId: item.instanceId,
      sourceContainerId: w.inventory.containerId,
      targetContainerId: escrow.containerId,
      gameServiceId: w.gameServiceId,
    };
    expect(await env.inventory.transfer(input, k)).toEqual({ instanceId: item.instanceId });
    expect(await env.inventory.transfer(input, k)).toEqual({ instanceId: item.instanceId });
    expect((await w.get(item.instanceId))!.containerId).toBe(escrow.containerId);
    // Moving it again from where it no longer is: conflict.
    await expect(env.inventory.transfer(input, key())).rejects.toMatchObject({ kind: 'conflict' });
    expect(await env.inventory.transfer({ ...input, quantity: 4 }, key()).catch(kindOf)).toBe('conflict');
    expect(await liveTotal(w.template.templateId)).toBe(4);
  });

  it('transfer with a smaller quantity splits the stack once, even when replayed', async () => {
    const w = await world();
    const escrow = await w.escrow();
    const item = await w.grant(10, { quality: 0.42, origin: 'mine' });
    const k = key('split');
    const input = {
      instanceId: item.instanceId,
      sourceContainerId: w.inventory.containerId,
      targetContainerId: escrow.containerId,
      gameServiceId: w.gameServiceId,
      quantity: 3.5,
    };
    const first = await env.inventory.transfer(input, k);
    expect(await env.inventory.transfer(input, k)).toEqual(first);
    expect(first.instanceId).not.toBe(item.instanceId);
    const moved = await w.get(first.instanceId);
    const rest = await w.get(item.instanceId);
    expect(moved).toMatchObject({
      containerId: escrow.containerId,
      quantity: 3.5,
      templateId: w.template.templateId,
      instanceMetadata: { quality: 0.42, origin: 'mine' },
      originType: 'Grant',
    });
    expect(rest).toMatchObject({ containerId: w.inventory.containerId, quantity: 6.5 });
    expect(await liveTotal(w.template.templateId)).toBe(10);
    await expect(
      env.inventory.transfer({ ...input, quantity: 6.5001 }, key()),
    ).rejects.toMatchObject({ kind: 'conflict' });
    await expect(env.inventory.transfer({ ...input, quantity: 0 }, key())).rejects.toMatchObject({ kind: 'invalid' });
    await expect(env.inventory.transfer({ ...input, targetContainerId: randomUUID() }, key())).rejects.toMatchObject({ kind: 'not_found' });
    await expect(env.inventory.transfer({ ...input, instanceId: randomUUID() }, key())).rejects.toMatchObject({ kind: 'not_found' });
  });

  it('50 concurrent transfers of one instance to different targets: one wins, the rest conflict', async () => {
    const w = await world();
    const item = await w.grant(7);
    const targets = await Promise.all(Array.from({ length: 50 }, () => w.escrow()));
    const { ok, errors } = await concurrently(50, (i) =>
      w.transfer(
        { instanceId: item.instanceId, sourceContainerId: w.inventory.containerId, targetContainerId: targets[i]!.containerId },
        key('race'),
      ),
    );
    expect(ok).toEqual([{ instanceId: item.instanceId }]);
    expect(errors.map(kindOf)).toEqual(Array(49).fill('conflict'));
    const now = await w.get(item.instanceId);
    expect(targets.map((t) => t.containerId)).toContain(now!.containerId);
    expect(await liveTotal(w.template.templateId)).toBe(7);
  });

  it('50 concurrent splits of 1 from a stack of 20: 20 succeed, quantity is conserved', async () => {
    const w = await world();
    const item = await w.grant(20);
    const escrow = await w.escrow();
    const { ok, errors } = await concurrently(50, () =>
      w.transfer(
        { instanceId: item.instanceId, sourceContainerId: w.inventory.containerId, targetContainerId: escrow.containerId, quantity: 1 },
        key('split-race'),
      ),
    );
    expect(ok).toHaveLength(20);
    expect(errors.map(kindOf)).toEqual(Array(30).fill('conflict'));
    expect(new Set(ok.map((r) => r.instanceId)).size).toBe(20);
    expect(await w.count(escrow.containerId)).toBe(20);
    expect(await w.count(w.inventory.containerId)).toBe(0);
    expect(await liveTotal(w.template.templateId)).toBe(20);
  });

  it('add puts an instance into a container; remove is not supported by the stub', async () => {
    const w = await world();
    const other = await w.escrow();
    const item = await w.grant(1);
    await env.inventory.add({ instanceId: item.instanceId, containerId: other.containerId, gameServiceId: w.gameServiceId }, key());
    await env.inventory.add({ instanceId: item.instanceId, containerId: other.containerId, gameServiceId: w.gameServiceId }, key());
    expect((await w.get(item.instanceId))!.containerId).toBe(other.containerId);
    await expect(env.inventory.remove({ instanceId: item.instanceId, gameServiceId: w.gameServiceId }, key())).rejects.toMatchObject({
      kind: 'invalid',
    });
  });
});

describe('transfer with mergeStacks', () => {
  it('2 split from a stack of 5 and returned with mergeStacks land back on the original stack', async () => {
    const w = await world();
    const escrow = await w.escrow();
    const stack = await w.grant(5, { quality: 0.7 });
    const split = await w.transfer({
      instanceId: stack.instanceId,
      sourceContainerId: w.inventory.containerId,
      targetContainerId: escrow.containerId,
      quantity: 2,
    });
    expect(split.instanceId).not.toBe(stack.instanceId);
    expect(await w.count(w.inventory.containerId)).toBe(3);
    expect(await w.count(escrow.containerId)).toBe(2);

    const k = key('return');
    const back = { instanceId: split.instanceId, sourceContainerId: escrow.containerId, targetContainerId: w.inventory.containerId, mergeStacks: true };
    expect(await w.transfer(back, k)).toEqual({ instanceId: stack.instanceId });
    expect(await w.transfer(back, k)).toEqual({ instanceId: stack.instanceId }); // a replay merges nothing more

    // The original stack is whole again, and the only live stack in the inventory.
    expect(await w.get(stack.instanceId)).toMatchObject({ containerId: w.inventory.containerId, quantity: 5, instanceMetadata: { quality: 0.7 } });
    expect(await w.contents(w.inventory.containerId)).toEqual([stack.instanceId]);
    expect(await w.contents(escrow.containerId)).toEqual([]);
    // The moved row ended as Merged (not Consumed) with quantity 0: its items are counted once, in the stack.
    expect(await w.get(split.instanceId)).toBeNull();
    const merged = await rowOf(split.instanceId);
    expect(merged.destroyReason).toBe('Merged');
    expect(merged.destroyedAt).toBeInstanceOf(Date);
    expect(Number(merged.quantity)).toBe(0);
    expect(await liveTotal(w.template.templateId)).toBe(5);
    // With a new key, the merged row is gone.
    await expect(w.transfer(back, key())).rejects.toMatchObject({ kind: 'not_found' });
  });

  it('a partial return with mergeStacks joins the stack; the source keeps the rest', async () => {
    const w = await world();
    const escrow = await w.escrow();
    const stack = await w.grant(5);
    const split = await w.transfer({
      instanceId: stack.instanceId,
      sourceContainerId: w.inventory.containerId,
      targetContainerId: escrow.containerId,
      quantity: 2,
    });
    const back = await w.transfer({
      instanceId: split.instanceId,
      sourceContainerId: escrow.containerId,
      targetContainerId: w.inventory.containerId,
      quantity: 1.5,
      mergeStacks: true,
    });
    expect(back).toEqual({ instanceId: stack.instanceId });
    expect(await w.get(stack.instanceId)).toMatchObject({ containerId: w.inventory.containerId, quantity: 4.5 });
    expect(await w.get(split.instanceId)).toMatchObject({ containerId: escrow.containerId, quantity: 0.5 });
    expect((await rowOf(split.instanceId)).destroyedAt).toBeNull();
    expect(await w.contents(w.inventory.containerId)).toEqual([stack.instanceId]);
    expect(await liveTotal(w.template.templateId)).toBe(5);
  });

  it('a whole-stack return with mergeStacks to a container without an identical stack moves the row itself', async () => {
    const w = await world();
    const escrow = await w.escrow();
    const item = await w.grant(4);
    await w.transfer({ instanceId: item.instanceId, sourceContainerId: w.inventory.containerId, targetContainerId: escrow.containerId });
    expect(await w.contents(w.inventory.containerId)).toEqual([]);

    const back = await w.transfer({
      instanceId: item.instanceId,
      sourceContainerId: escrow.containerId,
      targetContainerId: w.inventory.containerId,
      mergeStacks: true,
    });
    expect(back).toEqual({ instanceId: item.instanceId });
    expect(await w.get(item.instanceId)).toMatchObject({ containerId: w.inventory.containerId, quantity: 4 });
    const row = await rowOf(item.instanceId);
    expect(row.destroyedAt).toBeNull();
    expect(row.destroyReason).toBeNull();
    expect(await w.contents(w.inventory.containerId)).toEqual([item.instanceId]);
    expect(await liveTotal(w.template.templateId)).toBe(4);
  });

  it('stacks of different quality (0.5 vs 0.7) or realm are not merged', async () => {
    const w = await world();
    const escrow = await w.escrow();
    const fine = await w.grant(5, { quality: 0.7 });
    const poor = await w.grant(3, { quality: 0.5 }, { containerId: escrow.containerId });
    const elsewhere = await w.grant(2, { quality: 0.7 }, { containerId: escrow.containerId, realmId: 'another-realm' });
    const toInventory = { sourceContainerId: escrow.containerId, targetContainerId: w.inventory.containerId, mergeStacks: true };

    // 1 of the 0.5 stack: a new 0.5 stack in the inventory, not the 0.7 one.
    const part = await w.transfer({ ...toInventory, instanceId: poor.instanceId, quantity: 1 });
    expect([fine.instanceId, poor.instanceId]).not.toContain(part.instanceId);
    expect(await w.get(part.instanceId)).toMatchObject({ containerId: w.inventory.containerId, quantity: 1, quality: 0.5 });
    // The rest of the 0.5 stack joins that identical 0.5 stack, still not the 0.7 one.
    expect(await w.transfer({ ...toInventory, instanceId: poor.instanceId })).toEqual({ instanceId: part.instanceId });
    expect(await w.get(part.instanceId)).toMatchObject({ quantity: 3, quality: 0.5 });
    // Same quality, another realm: moved as it is.
    expect(await w.transfer({ ...toInventory, instanceId: elsewhere.instanceId })).toEqual({ instanceId: elsewhere.instanceId });

    expect(await w.get(fine.instanceId)).toMatchObject({ quantity: 5, quality: 0.7 });
    expect((await w.contents(w.inventory.containerId)).sort()).toEqual([fine.instanceId, part.instanceId, elsewhere.instanceId].sort());
    expect(await w.count(w.inventory.containerId)).toBe(10);
    expect(await liveTotal(w.template.templateId)).toBe(10);
  });

  it('stacks of another origin (looted vs granted, another session output) are not merged: provenance stays', async () => {
    const w = await world();
    const escrow = await w.escrow();
    const granted = await w.grant(5);
    const crafted = await w.grant(2, undefined, { containerId: escrow.containerId, originType: 'Craft', originId: 'session-1' });
    const looted = await w.grant(1, undefined, { containerId: escrow.containerId, originType: 'Loot' });
    const toInventory = { sourceContainerId: escrow.containerId, targetContainerId: w.inventory.containerId, mergeStacks: true };
    expect(await w.transfer({ ...toInventory, instanceId: crafted.instanceId })).toEqual({ instanceId: crafted.instanceId });
    expect(await w.transfer({ ...toInventory, instanceId: looted.instanceId })).toEqual({ instanceId: looted.instanceId });
    expect(await w.get(granted.instanceId)).toMatchObject({ quantity: 5, originType: 'Grant' });
    expect(await w.get(crafted.instanceId)).toMatchObject({ quantity: 2, originType: 'Craft', originId: 'session-1' });
  });

  it('stacks whose metadata or realm differ only in letter case or accents are not merged', async () => {
    const w = await world();
    const escrow = await w.escrow();
    const ash = await w.grant(5, { quality: 0.7, inscription: 'Ash' });
    await w.grant(1, { quality: 0.7, inscription: 'Ash' }, { realmId: 'realm-1' });
    const lower = await w.grant(2, { quality: 0.7, inscription: 'ash' }, { containerId: escrow.containerId });
    const jose = await w.grant(1, { quality: 0.7, inscription: 'Ash', maker: 'José' }, { containerId: escrow.containerId });
    const realm = await w.grant(1, { quality: 0.7, inscription: 'Ash' }, { containerId: escrow.containerId, realmId: 'Realm-1' });
    const toInventory = { sourceContainerId: escrow.containerId, targetContainerId: w.inventory.containerId, mergeStacks: true };
    for (const moved of [lower, jose, realm]) {
      expect(await w.transfer({ ...toInventory, instanceId: moved.instanceId })).toEqual({ instanceId: moved.instanceId });
    }
    expect(await w.get(ash.instanceId)).toMatchObject({ quantity: 5, instanceMetadata: { inscription: 'Ash' } });
    expect(await w.get(lower.instanceId)).toMatchObject({ quantity: 2, instanceMetadata: { inscription: 'ash' } });
    expect(await liveTotal(w.template.templateId)).toBe(10);
  });

  it('20 concurrent mergeStacks returns of 20 split pieces all join the original stack; nothing is lost', async () => {
    const w = await world();
    const escrow = await w.escrow();
    const stack = await w.grant(25);
    const splits = await concurrently(20, () =>
      w.transfer(
        { instanceId: stack.instanceId, sourceContainerId: w.inventory.containerId, targetContainerId: escrow.containerId, quantity: 1 },
        key('split'),
      ),
    );
    expect(splits.errors).toEqual([]);
    const pieces = splits.ok.map((r) => r.instanceId);
    expect(new Set(pieces).size).toBe(20);
    expect(await w.count(w.inventory.containerId)).toBe(5);
    expect(await w.count(escrow.containerId)).toBe(20);

    const { ok, errors } = await concurrently(20, (i) =>
      w.transfer(
        { instanceId: pieces[i]!, sourceContainerId: escrow.containerId, targetContainerId: w.inventory.containerId, mergeStacks: true },
        key('return-race'),
      ),
    );
    expect(errors).toEqual([]);
    expect(ok).toEqual(Array(20).fill({ instanceId: stack.instanceId }));
    expect(await w.get(stack.instanceId)).toMatchObject({ containerId: w.inventory.containerId, quantity: 25 });
    expect(await w.contents(w.inventory.containerId)).toEqual([stack.instanceId]);
    expect(await w.count(escrow.containerId)).toBe(0);
    expect(await liveTotal(w.template.templateId)).toBe(25);
    // Every piece ended Merged, its quantity now in the stack: summing every row still counts 25.
    const rows = await env.prisma.stubItemInstance.findMany({ where: { id: { in: pieces } } });
    expect(rows).toHaveLength(20);
    expect(rows.every((r) => r.destroyReason === 'Merged' && r.destroyedAt !== null)).toBe(true);
    expect(rows.reduce((sum, r) => sum + Number(r.quantity), 0)).toBe(0);
  });

  it('20 concurrent mergeStacks returns into a container with no stack yet: the exact total arrives, in live stacks', async () => {
    const w = await world();
    const escrow = await w.escrow();
    const home = await w.escrow();
    const stack = await w.grant(20);
    // The 20th split of 1 moves what is left of the stack itself.
    const splits = await concurrently(20, () =>
      w.transfer(
        { instanceId: stack.instanceId, sourceContainerId: w.inventory.containerId, targetContainerId: escrow.containerId, quantity: 1 },
        key('split'),
      ),
    );
    expect(splits.errors).toEqual([]);
    const pieces = splits.ok.map((r) => r.instanceId);
    expect(await w.count(escrow.containerId)).toBe(20);

    const { ok, errors } = await concurrently(20, (i) =>
      w.transfer(
        { instanceId: pieces[i]!, sourceContainerId: escrow.containerId, targetContainerId: home.containerId, mergeStacks: true },
        key('return-race'),
      ),
    );
    expect(errors).toEqual([]);
    expect(await w.count(home.containerId)).toBe(20);
    expect(await w.count(escrow.containerId)).toBe(0);
    expect(await liveTotal(w.template.templateId)).toBe(20);
    // Each piece either is a live stack in `home` or was Merged into one; every id returned is such a live stack.
    const live = await w.contents(home.containerId);
    expect(live.length).toBeGreaterThanOrEqual(1);
    for (const r of ok) expect(live).toContain(r.instanceId);
    const rows = await env.prisma.stubItemInstance.findMany({ where: { id: { in: pieces } } });
    const mergedRows = rows.filter((r) => r.destroyedAt !== null);
    expect(mergedRows.every((r) => r.destroyReason === 'Merged')).toBe(true);
    expect(rows.filter((r) => r.destroyedAt === null).map((r) => r.id).sort()).toEqual([...live].sort());
    expect(mergedRows.length + live.length).toBe(20);
  });
});

describe('tenancy', () => {
  it("another game service cannot see or change an item: reads are null / notFound, mutations not_found, nothing changes", async () => {
    const a = await world();
    const gsB = randomUUID();
    const item = await a.grant(5, { quality: 0.6 });
    const boxB = await env.inventory.createContainer({ ownerId: a.owner, ownerType: 'character', containerType: 'inventory', gameServiceId: gsB }, key());

    expect(await env.item.getTemplate({ gameId: gsB, templateId: a.template.templateId })).toBeNull();
    expect(await env.item.getTemplate({ gameId: gsB, code: a.template.code })).toBeNull();
    expect(await env.item.listTemplates(gsB)).toEqual([]);
    expect(await env.item.getInstance(item.instanceId, gsB)).toBeNull();
    expect(await env.item.batchGetInstances([item.instanceId], gsB)).toEqual({ items: [], notFound: [item.instanceId] });

    await expect(
      env.item.modifyInstance({ instanceId: item.instanceId, gameServiceId: gsB, quantityDelta: 10, instanceMetadata: { quality: 1 } }, key()),
    ).rejects.toMatchObject({ service: 'item', kind: 'not_found' });
    await expect(
      env.item.modifyInstance({ instanceId: item.instanceId, gameServiceId: gsB, newContainerId: boxB.containerId }, key()),
    ).rejects.toMatchObject({ service: 'item', kind: 'not_found' });
    // Named in its own game service, it still cannot be moved into a container of another.
    await expect(
      env.item.modifyInstance({ instanceId: item.instanceId, gameServiceId: a.gameServiceId, newContainerId: boxB.containerId }, key()),
    ).rejects.toMatchObject({ service: 'item', kind: 'not_found' });
    await expect(
      env.item.destroyInstance({ instanceId: item.instanceId, gameServiceId: gsB, reason: 'Consumed' }, key()),
    ).rejects.toMatchObject({ service: 'item', kind: 'not_found' });

    expect(await env.item.getTemplate({ gameId: a.gameServiceId, templateId: a.template.templateId })).toEqual(a.template);
    expect(await a.get(item.instanceId)).toEqual(item);
    expect(await env.item.batchGetInstances([item.instanceId], a.gameServiceId)).toEqual({ items: [item], notFound: [] });
    const row = await rowOf(item.instanceId);
    expect(row.destroyedAt).toBeNull();
    expect(await env.inventory.getContainer(boxB.containerId, true, gsB)).toMatchObject({ contents: [] });
  });

  it('createInstance into a container of another game service than the template is not_found and creates nothing', async () => {
    const a = await world();
    const b = await world();
    const input = {
      templateId: a.template.templateId,
      containerId: b.inventory.containerId,
      realmId: 'r',
      quantity: 3,
      originType: 'Grant' as const,
    };
    const k = key('cross');
    await expect(env.item.createInstance(input, k)).rejects.toMatchObject({ service: 'item', kind: 'not_found' });
    expect(await env.prisma.stubItemInstance.count({ where: { templateId: a.template.templateId } })).toBe(0);
    expect(await env.prisma.stubItemInstance.count({ where: { containerId: b.inventory.containerId } })).toBe(0);
    expect(await b.contents(b.inventory.containerId)).toEqual([]);
    // The key holds no result: the same key works into a container of the template's game service.
    const created = await env.item.createInstance({ ...input, containerId: a.inventory.containerId }, k);
    expect(created).toMatchObject({ gameServiceId: a.gameServiceId, containerId: a.inventory.containerId, quantity: 3 });
  });

  it("another game service cannot see a container or move items in or out of it, and nothing changes", async () => {
    const a = await world();
    const gsB = randomUUID();
    const item = await a.grant(4);
    const escrowA = await a.escrow();
    const boxB = await env.inventory.createContainer({ ownerId: a.owner, ownerType: 'character', containerType: 'inventory', gameServiceId: gsB }, key());
    const before = await env.inventory.getContainer(a.inventory.containerId, true, a.gameServiceId);
    expect(before!.contents!.map((i) => i.instanceId)).toEqual([item.instanceId]);
    const templateId = a.template.templateId;

    // Reads in B.
    expect(await env.inventory.getContainer(a.inventory.containerId, true, gsB)).toBeNull();
    expect(await env.inventory.getContainer(a.inventory.containerId, false, gsB)).toBeNull();
    expect(await env.inventory.listContainers({ ownerId: a.owner, ownerType: 'character', gameServiceId: gsB })).toEqual([boxB]);
    expect(await env.inventory.count({ containerId: a.inventory.containerId, templateId, gameServiceId: gsB })).toBe(0);
    expect(
      await env.inventory.has({ ownerId: a.owner, ownerType: 'character', gameServiceId: gsB, requirements: [{ templateId, quantity: 1 }] }),
    ).toEqual({ hasAll: false, missing: [{ templateId, required: 1, available: 0 }] });

    // Mutations naming B, on A's item and containers.
    const fromA = { instanceId: item.instanceId, sourceContainerId: a.inventory.containerId };
    for (const input of [
      { ...fromA, targetContainerId: escrowA.containerId, gameServiceId: gsB },
      { ...fromA, targetContainerId: escrowA.containerId, gameServiceId: gsB, quantity: 1 },
      { ...fromA, targetContainerId: boxB.containerId, gameServiceId: gsB, mergeStacks: true },
      // Naming A: the target of B is unknown.
      { ...fromA, targetContainerId: boxB.containerId, gameServiceId: a.gameServiceId },
      { ...fromA, targetContainerId: boxB.containerId, gameServiceId: a.gameServiceId, quantity: 1 },
    ]) {
      await expect(env.inventory.transfer(input, key())).rejects.toMatchObject({ service: 'inventory', kind: 'not_found' });
    }
    await expect(
      env.inventory.add({ instanceId: item.instanceId, containerId: escrowA.containerId, gameServiceId: gsB }, key()),
    ).rejects.toMatchObject({ service: 'inventory', kind: 'not_found' });
    await expect(
      env.inventory.add({ instanceId: item.instanceId, containerId: boxB.containerId, gameServiceId: a.gameServiceId }, key()),
    ).rejects.toMatchObject({ service: 'inventory', kind: 'not_found' });

    // Nothing moved, split or appeared.
    expect(await env.inventory.getContainer(a.inventory.containerId, true, a.gameServiceId)).toEqual(before);
    expect(await a.contents(escrowA.containerId)).toEqual([]);
    expect(await env.inventory.getContainer(boxB.containerId, true, gsB)).toMatchObject({ contents: [] });
    expect(await a.get(item.instanceId)).toEqual(item);
    expect(await env.prisma.stubItemInstance.count({ where: { templateId } })).toBe(1);
    expect(await env.inventory.listContainers({ ownerId: a.owner, ownerType: 'character', gameServiceId: a.gameServiceId })).toEqual([
      a.inventory,
    ]);
  });
});
