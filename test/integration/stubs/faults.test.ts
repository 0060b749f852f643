// Fault injection: `before` fails with no effect; `after` commits the effect and then fails,
// and a retry with the same idempotency key returns the effect without repeating it.
import { randomUUID } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ClientError } from '../../../src/clients/errors.js';
import { StubFaults } from '../../../src/clients/stubs/index.js';
import { key, startStubs, type StubEnv } from './stub-env.js';

let env: StubEnv;
const prebound: Record<string, unknown>[] = [];

beforeAll(async () => {
  env = await startStubs({ invokePrebound: async (_path, body) => void prebound.push(body) });
});

afterEach(() => env.faults.disarm());

afterAll(async () => {
  await env.close();
});

async function world() {
  const gameServiceId = randomUUID();
  const template = await env.item.createTemplate({ gameServiceId, code: `ore_${randomUUID().slice(0, 8)}`, category: 'material' });
  const inventory = await env.inventory.createContainer(
    { ownerId: randomUUID(), ownerType: 'character', containerType: 'inventory', gameServiceId },
    key(),
  );
  const escrow = await env.inventory.createContainer(
    { ownerId: randomUUID(), ownerType: 'craft-session', containerType: 'craft_escrow', gameServiceId },
    key(),
  );
  const create = (k: string, quantity = 1) =>
    env.item.createInstance(
      { templateId: template.templateId, containerId: inventory.containerId, realmId: gameServiceId, quantity, originType: 'Grant' },
      k,
    );
  const instances = () => env.prisma.stubItemInstance.count({ where: { templateId: template.templateId } });
  return { gameServiceId, template, inventory, escrow, create, instances };
}

async function unavailable(p: Promise<unknown>, service: string) {
  const err = await p.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(ClientError);
  expect(err).toMatchObject({ service, kind: 'unavailable' });
}

describe('StubFaults', () => {
  it('counts times and every, per op and phase, until disarmed', () => {
    const f = new StubFaults();
    f.arm('item.createInstance', { times: 2 });
    expect(() => f.check('item.createInstance', 'before')).toThrow(ClientError);
    expect(() => f.check('item.createInstance', 'after')).not.toThrow();
    expect(() => f.check('item.getInstance', 'before')).not.toThrow();
    expect(() => f.check('item.createInstance', 'before')).toThrow(/injected failure before item.createInstance/);
    expect(() => f.check('item.createInstance', 'before')).not.toThrow();

    f.arm('inventory.transfer', { every: 3, phase: 'after' });
    const fails = Array.from({ length: 9 }, () => {
      try {
        f.check('inventory.transfer', 'after');
        return false;
      } catch {
        return true;
      }
    });
    expect(fails).toEqual([false, false, true, false, false, true, false, false, true]);
    expect(f.injectedCount('inventory.transfer')).toBe(3);
    expect(f.injectedCount()).toBe(5);
    f.disarm();
    expect(() => f.check('inventory.transfer', 'after')).not.toThrow();
    expect(f.injectedCount()).toBe(0);
    expect(() => f.arm('x', { every: 0 })).toThrow();
  });
});

describe('faults in the stubs', () => {
  it('before: nothing happens, and the same key works afterwards', async () => {
    const w = await world();
    env.faults.arm('item.createInstance', { times: 1 });
    const k = key();
    await unavailable(w.create(k), 'item');
    expect(await w.instances()).toBe(0);
    const created = await w.create(k);
    expect(await w.create(k)).toEqual(created);
    expect(await w.instances()).toBe(1);
  });

  it('after: the instance exists although the call failed; the retry returns it, creating nothing', async () => {
    const w = await world();
    env.faults.arm('item.createInstance', { times: 1, phase: 'after' });
    const k = key();
    await unavailable(w.create(k), 'item');
    expect(await w.instances()).toBe(1);
    const retried = await w.create(k);
    expect(await w.instances()).toBe(1);
    const row = await env.prisma.stubItemInstance.findFirstOrThrow({ where: { templateId: w.template.templateId } });
    expect(retried.instanceId).toBe(row.id);
  });

  it('after on a split transfer: the split happened once; the retry returns the same new instance', async () => {
    const w = await world();
    const stack = await w.create(key(), 10);
    env.faults.arm('inventory.transfer', { times: 1, phase: 'after' });
    const k = key();
    const input = {
      instanceId: stack.instanceId,
      sourceContainerId: w.inventory.containerId,
      targetContainerId: w.escrow.containerId,
      gameServiceId: w.gameServiceId,
      quantity: 4,
    };
    await unavailable(env.inventory.transfer(input, k), 'inventory');
    const retried = await env.inventory.transfer(input, k);
    const count = (containerId: string) => env.inventory.count({ containerId, templateId: w.template.templateId, gameServiceId: w.gameServiceId });
    expect(await count(w.escrow.containerId)).toBe(4);
    expect(await count(w.inventory.containerId)).toBe(6);
    expect((await env.item.getInstance(retried.instanceId, w.gameServiceId))!.containerId).toBe(w.escrow.containerId);
  });

  it('after on destroy: destroyed once; the retry succeeds', async () => {
    const w = await world();
    const item = await w.create(key());
    env.faults.arm('item.destroyInstance', { times: 1, phase: 'after' });
    const k = key();
    const input = { instanceId: item.instanceId, gameServiceId: w.gameServiceId, reason: 'Consumed' as const };
    await unavailable(env.item.destroyInstance(input, k), 'item');
    expect(await env.item.getInstance(item.instanceId, w.gameServiceId)).toBeNull();
    await env.item.destroyInstance(input, k);
  });

  it('after on holds: hold placed once, capture deducted once', async () => {
    const gameServiceId = randomUUID();
    const owner = { ownerId: randomUUID(), ownerType: 'character' };
    const { walletId } = await env.currency.credit({ gameServiceId, ...owner, currencyCode: 'gold', amount: 100 }, key());
    env.faults.arm('currency.createHold', { times: 1, phase: 'after' });
    const hk = key();
    const holdInput = { walletId, gameServiceId, currencyCode: 'gold', amount: 40, expiresAt: new Date(Date.now() + 60_000).toISOString() };
    await unavailable(env.currency.createHold(holdInput, hk), 'currency');
    const hold = await env.currency.createHold(holdInput, hk);
    expect((await env.currency.getWallet({ gameServiceId, walletId }))!.balances[0]).toMatchObject({ amount: 100, held: 40 });

    env.faults.arm('currency.captureHold', { times: 1, phase: 'after' });
    const ck = key();
    await unavailable(env.currency.captureHold({ holdId: hold.holdId, gameServiceId, captureAmount: 40 }, ck), 'currency');
    expect(await env.currency.captureHold({ holdId: hold.holdId, gameServiceId, captureAmount: 40 }, ck)).toMatchObject({ status: 'Captured' });
    expect((await env.currency.getWallet({ gameServiceId, walletId }))!.balances[0]).toEqual({ currencyCode: 'gold', amount: 60, held: 0, available: 60 });

    env.faults.arm('currency.releaseHold', { times: 1 });
    await unavailable(env.currency.releaseHold({ holdId: hold.holdId, gameServiceId }, key()), 'currency');
  });

  it('after on the last milestone: the prebound call happened once; the retry does not repeat it', async () => {
    const sessionId = randomUUID();
    const gameServiceId = randomUUID();
    const c = await env.contract.createInstance(
      {
        gameServiceId,
        parties: [{ entityId: randomUUID(), entityType: 'character', role: 'crafter' }],
        milestones: [{ code: 'only', name: 'Only' }],
        onFinalMilestone: { path: '/craft/internal/complete-session', body: { sessionId } },
      },
      key(),
    );
    env.faults.arm('contract.completeMilestone', { times: 1, phase: 'after' });
    const k = key();
    await unavailable(env.contract.completeMilestone({ contractId: c.contractId, gameServiceId, milestoneCode: 'only' }, k), 'contract');
    expect(prebound.filter((b) => b.sessionId === sessionId)).toHaveLength(1);
    expect((await env.contract.completeMilestone({ contractId: c.contractId, gameServiceId, milestoneCode: 'only' }, k)).status).toBe('Fulfilled');
    expect(prebound.filter((b) => b.sessionId === sessionId)).toHaveLength(1);
  });

  it('reads can fail too, and every n-th call fails with `every`', async () => {
    const w = await world();
    const item = await w.create(key());
    env.faults.arm('item.getInstance', { every: 2 });
    const outcomes = await Promise.all(
      [0, 1, 2, 3].map(() => env.item.getInstance(item.instanceId, w.gameServiceId).then(() => 'ok', (e: ClientError) => e.kind)),
    );
    expect(outcomes.sort()).toEqual(['ok', 'ok', 'unavailable', 'unavailable']);
  });
});
