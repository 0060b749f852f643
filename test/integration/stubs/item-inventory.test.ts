// The item and inventory stubs: persistence, idempotent replays, guarded transfers and
// splits under concurrency, soft deletes. No item is ever duplicated or lost.
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

async function world() {
  const gameServiceId = randomUUID();
  const template = await env.item.createTemplate({ gameServiceId, code: `iron_ore_${randomUUID().slice(0, 8)}`, category: 'material' });
  const owner = randomUUID();
  const inventory = await env.inventory.createContainer({ ownerId: owner, ownerType: 'character', containerType: 'inventory' }, key('inv'));
  const grant = (quantity: number, metadata: Record<string, unknown> = { quality: 0.7 }) =>
    env.item.createInstance(
      { templateId: template.templateId, containerId: inventory.containerId, realmId: gameServiceId, quantity, instanceMetadata: metadata, originType: 'Grant' },
      key('grant'),
    );
  const escrow = () =>
    env.inventory.createContainer({ ownerId: randomUUID(), ownerType: 'craft-session', containerType: 'craft_escrow' }, key('escrow'));
  return { gameServiceId, template, owner, inventory, grant, escrow };
}

/** Live quantity of a template across the given containers, read from the table. */
async function liveTotal(templateId: string): Promise<number> {
  const agg = await env.prisma.stubItemInstance.aggregate({ where: { templateId, destroyedAt: null }, _sum: { quantity: true } });
  return Number(agg._sum.quantity ?? 0);
}

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
    expect(await env.item.getTemplate({ templateId: a.templateId })).toEqual(a);
    expect(await env.item.getTemplate({ code: 'b_sword', gameId: gs })).toEqual(b);
    expect(await env.item.getTemplate({ code: 'b_sword', gameId: randomUUID() })).toBeNull();
    expect((await env.item.listTemplates(gs)).map((t) => t.code)).toEqual(['a_ore', 'b_sword']);
    await expect(env.item.createTemplate({ gameServiceId: gs, code: 'a_ore', category: 'x' })).rejects.toMatchObject({ kind: 'conflict' });
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
    expect(await env.item.getInstance(first.instanceId)).toEqual(first);
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
    await env.item.modifyInstance({ instanceId: item.instanceId, quantityDelta: 1 }, k);
    await expect(env.item.destroyInstance({ instanceId: item.instanceId, reason: 'Consumed' }, k)).rejects.toMatchObject({ kind: 'invalid' });
    expect(await env.item.getInstance(item.instanceId)).not.toBeNull();
  });

  it('destroyInstance soft-deletes once; a replay succeeds, a new key is not_found', async () => {
    const w = await world();
    const item = await w.grant(2);
    const k = key('destroy');
    await env.item.destroyInstance({ instanceId: item.instanceId, reason: 'Consumed' }, k);
    await env.item.destroyInstance({ instanceId: item.instanceId, reason: 'Consumed' }, k);
    await expect(env.item.destroyInstance({ instanceId: item.instanceId, reason: 'Consumed' }, key())).rejects.toMatchObject({ kind: 'not_found' });
    expect(await env.item.getInstance(item.instanceId)).toBeNull();
    expect(await env.item.batchGetInstances([item.instanceId])).toEqual({ items: [], notFound: [item.instanceId] });
    const row = await env.prisma.stubItemInstance.findUniqueOrThrow({ where: { id: item.instanceId } });
    expect(row.destroyReason).toBe('Consumed');
    expect(row.destroyedAt).toBeInstanceOf(Date);
    expect(Number(row.quantity)).toBe(2);
  });

  it('50 concurrent destroys with different keys: exactly one succeeds', async () => {
    const w = await world();
    const item = await w.grant(1);
    const { ok, errors } = await concurrently(50, () => env.item.destroyInstance({ instanceId: item.instanceId, reason: 'Consumed' }, key()));
    expect(ok).toHaveLength(1);
    expect(errors.map(kindOf)).toEqual(Array(49).fill('not_found'));
  });

  it('modifyInstance changes quantity, merges metadata and moves; a replay applies once', async () => {
    const w = await world();
    const other = await w.escrow();
    const item = await w.grant(5, { quality: 0.5, a: 1 });
    const k = key('modify');
    const input = { instanceId: item.instanceId, quantityDelta: -2, instanceMetadata: { quality: 0.9, b: 2 }, newContainerId: other.containerId };
    const first = await env.item.modifyInstance(input, k);
    expect(await env.item.modifyInstance(input, k)).toEqual(first);
    expect(first).toMatchObject({ quantity: 3, quality: 0.9, instanceMetadata: { quality: 0.9, a: 1, b: 2 }, containerId: other.containerId });
    await expect(env.item.modifyInstance({ instanceId: item.instanceId, quantityDelta: -3 }, key())).rejects.toMatchObject({ kind: 'conflict' });
  });

  it('batchGetInstances reports what it found and what it did not', async () => {
    const w = await world();
    const a = await w.grant(1);
    const b = await w.grant(2);
    const missing = randomUUID();
    const res = await env.item.batchGetInstances([a.instanceId, missing, b.instanceId]);
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
    await env.item.destroyInstance({ instanceId: c.instanceId, reason: 'Destroyed' }, key());
    const container = await env.inventory.getContainer(w.inventory.containerId, true);
    expect(container).toMatchObject({ containerId: w.inventory.containerId, ownerId: w.owner, ownerType: 'character', containerType: 'inventory' });
    expect(container!.contents!.map((i) => i.instanceId)).toEqual([a.instanceId, b.instanceId]);
    expect((await env.inventory.getContainer(w.inventory.containerId, false))!.contents).toBeUndefined();
    expect(await env.inventory.getContainer(randomUUID(), true)).toBeNull();
    expect(await env.inventory.count({ containerId: w.inventory.containerId, templateId: w.template.templateId })).toBe(5.25);

    const other = randomUUID();
    expect(
      await env.inventory.has({
        ownerId: w.owner,
        ownerType: 'character',
        requirements: [
          { templateId: w.template.templateId, quantity: 5 },
          { templateId: other, quantity: 1 },
        ],
      }),
    ).toEqual({ hasAll: false, missing: [{ templateId: other, required: 1, available: 0 }] });
    expect(
      await env.inventory.has({ ownerId: w.owner, ownerType: 'character', requirements: [{ templateId: w.template.templateId, quantity: 5.25 }] }),
    ).toEqual({ hasAll: true, missing: [] });
  });

  it('createContainer is idempotent', async () => {
    const k = key('container');
    const input = { ownerId: randomUUID(), ownerType: 'character', containerType: 'inventory', gameServiceId: randomUUID() };
    const { ok, errors } = await concurrently(20, () => env.inventory.createContainer(input, k));
    expect(errors).toEqual([]);
    expect(new Set(ok.map((c) => c.containerId)).size).toBe(1);
    expect(await env.prisma.stubContainer.count({ where: { ownerId: input.ownerId } })).toBe(1);
  });

  it('transfer of the whole stack moves the instance; a replay returns the same id', async () => {
    const w = await world();
    const escrow = await w.escrow();
    const item = await w.grant(4);
    const k = key('move');
    const input = { instanceId: item.instanceId, sourceContainerId: w.inventory.containerId, targetContainerId: escrow.containerId };
    expect(await env.inventory.transfer(input, k)).toEqual({ instanceId: item.instanceId });
    expect(await env.inventory.transfer(input, k)).toEqual({ instanceId: item.instanceId });
    expect((await env.item.getInstance(item.instanceId))!.containerId).toBe(escrow.containerId);
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
    const input = { instanceId: item.instanceId, sourceContainerId: w.inventory.containerId, targetContainerId: escrow.containerId, quantity: 3.5 };
    const first = await env.inventory.transfer(input, k);
    expect(await env.inventory.transfer(input, k)).toEqual(first);
    expect(first.instanceId).not.toBe(item.instanceId);
    const moved = await env.item.getInstance(first.instanceId);
    const rest = await env.item.getInstance(item.instanceId);
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
      env.inventory.transfer(
        { instanceId: item.instanceId, sourceContainerId: w.inventory.containerId, targetContainerId: targets[i]!.containerId },
        key('race'),
      ),
    );
    expect(ok).toEqual([{ instanceId: item.instanceId }]);
    expect(errors.map(kindOf)).toEqual(Array(49).fill('conflict'));
    const now = await env.item.getInstance(item.instanceId);
    expect(targets.map((t) => t.containerId)).toContain(now!.containerId);
    expect(await liveTotal(w.template.templateId)).toBe(7);
  });

  it('50 concurrent splits of 1 from a stack of 20: 20 succeed, quantity is conserved', async () => {
    const w = await world();
    const item = await w.grant(20);
    const escrow = await w.escrow();
    const { ok, errors } = await concurrently(50, () =>
      env.inventory.transfer(
        { instanceId: item.instanceId, sourceContainerId: w.inventory.containerId, targetContainerId: escrow.containerId, quantity: 1 },
        key('split-race'),
      ),
    );
    expect(ok).toHaveLength(20);
    expect(errors.map(kindOf)).toEqual(Array(30).fill('conflict'));
    expect(new Set(ok.map((r) => r.instanceId)).size).toBe(20);
    expect(await env.inventory.count({ containerId: escrow.containerId, templateId: w.template.templateId })).toBe(20);
    expect(await env.inventory.count({ containerId: w.inventory.containerId, templateId: w.template.templateId })).toBe(0);
    expect(await liveTotal(w.template.templateId)).toBe(20);
  });

  it('add puts an instance into a container; remove is not supported by the stub', async () => {
    const w = await world();
    const other = await w.escrow();
    const item = await w.grant(1);
    await env.inventory.add({ instanceId: item.instanceId, containerId: other.containerId }, key());
    await env.inventory.add({ instanceId: item.instanceId, containerId: other.containerId }, key());
    expect((await env.item.getInstance(item.instanceId))!.containerId).toBe(other.containerId);
    await expect(env.inventory.remove({ instanceId: item.instanceId }, key())).rejects.toMatchObject({ kind: 'invalid' });
  });
});
