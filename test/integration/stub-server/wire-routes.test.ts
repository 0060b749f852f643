// Every neighbour's WIRE routes answer with the stub's result, refusals map to their status
// and `{code, message}`, and no malformed body ever gets a 500.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WIRE } from '../../../src/clients/http/wire.js';
import { startServer, type ServerEnv } from './server-env.js';

let s: ServerEnv;
beforeAll(async () => {
  s = await startServer();
});
afterAll(async () => {
  await s?.close();
});

const k = () => `k:${randomUUID()}`;
const ok = async (path: string, body: unknown) => {
  const res = await s.post(path, body);
  expect(res, `${path} ${JSON.stringify(res.body)}`).toMatchObject({ status: 200 });
  return res.body;
};
const refused = async (path: string, body: unknown, status: number, code: string) => {
  const res = await s.post(path, body);
  expect(res.status, JSON.stringify(res.body)).toBe(status);
  expect(res.body).toMatchObject({ code, message: expect.any(String) });
};

describe('stub server: WIRE routes', () => {
  it('gameService_createGetList_andUnknownGetter404_duplicate409', async () => {
    const stubName = `gs-${randomUUID()}`;
    const created = await ok(WIRE.gameService.create, { stubName, displayName: 'Game' });
    expect(created).toMatchObject({ stubName, displayName: 'Game', isActive: true });
    expect(await ok(WIRE.gameService.get, { serviceId: created.serviceId })).toEqual(created);
    expect((await ok(WIRE.gameService.list, {})).services).toContainEqual(created);
    await refused(WIRE.gameService.get, { stubName: 'nope-' + randomUUID() }, 404, 'not_found');
    await refused(WIRE.gameService.create, { stubName, displayName: 'Again' }, 409, 'conflict');
  });

  it('itemAndInventory_routesReturnTheStubsResults_keysReplay_refusalsMap', async () => {
    const gs = randomUUID();
    const tpl = await ok(WIRE.item.createTemplate, { gameServiceId: gs, code: 'ore', category: 'material' });
    expect(await ok(WIRE.item.getTemplate, { gameId: gs, code: 'ore' })).toEqual(tpl);
    expect(await ok(WIRE.item.listTemplates, { gameServiceId: gs })).toEqual({ templates: [tpl] });
    await refused(WIRE.item.getTemplate, { gameId: gs, code: 'nope' }, 404, 'not_found');
    const owner = { ownerId: randomUUID(), ownerType: 'character', gameServiceId: gs };
    const bag = await ok(WIRE.inventory.createContainer, { ...owner, containerType: 'inventory', idempotencyKey: k() });
    const box = await ok(WIRE.inventory.createContainer, { ...owner, containerType: 'escrow', idempotencyKey: k() });
    const create = { templateId: tpl.templateId, containerId: bag.containerId, realmId: 'r', quantity: 5, originType: 'Loot', idempotencyKey: k() };
    const inst = await ok(WIRE.item.createInstance, create);
    expect(await ok(WIRE.item.createInstance, create)).toEqual(inst);
    expect(inst).toMatchObject({ templateCode: 'ore', quantity: 5, containerId: bag.containerId });
    await refused(WIRE.item.createInstance, { ...create, quantity: -1, idempotencyKey: k() }, 400, 'invalid');
    await refused(WIRE.item.createInstance, { ...create, idempotencyKey: undefined }, 400, 'invalid');
    const ref = { instanceId: inst.instanceId, gameServiceId: gs };
    expect(await ok(WIRE.item.getInstance, ref)).toEqual(inst);
    await refused(WIRE.item.getInstance, { ...ref, instanceId: randomUUID() }, 404, 'not_found');
    const missing = randomUUID();
    expect(await ok(WIRE.item.batchGetInstances, { instanceIds: [inst.instanceId, missing], gameServiceId: gs })).toEqual({ items: [inst], notFound: [missing] });
    expect(await ok(WIRE.item.modifyInstance, { ...ref, instanceMetadata: { quality: 0.5 }, idempotencyKey: k() })).toMatchObject({ quality: 0.5 });
    await refused(WIRE.item.modifyInstance, { ...ref, quantityDelta: -5, idempotencyKey: k() }, 409, 'conflict');

    expect((await ok(WIRE.inventory.getContainer, { containerId: bag.containerId, includeContents: true, gameServiceId: gs })).contents).toHaveLength(1);
    await refused(WIRE.inventory.getContainer, { containerId: randomUUID(), includeContents: false, gameServiceId: gs }, 404, 'not_found');
    expect((await ok(WIRE.inventory.listContainers, owner)).containers).toHaveLength(2);
    expect(await ok(WIRE.inventory.count, { containerId: bag.containerId, templateId: tpl.templateId, gameServiceId: gs })).toEqual({ count: 5 });
    expect(await ok(WIRE.inventory.has, { ...owner, requirements: [{ templateId: tpl.templateId, quantity: 9 }] })).toMatchObject({ hasAll: false });
    const move = { ...ref, sourceContainerId: box.containerId, targetContainerId: bag.containerId, idempotencyKey: k() };
    await refused(WIRE.inventory.transfer, move, 409, 'conflict');
    const moved = await ok(WIRE.inventory.transfer, { ...move, sourceContainerId: bag.containerId, targetContainerId: box.containerId, quantity: 2 });
    expect(moved).toEqual({ instanceId: expect.any(String) });
    expect(await ok(WIRE.inventory.add, { ...ref, containerId: box.containerId, idempotencyKey: k() })).toEqual({});
    await refused(WIRE.inventory.remove, { ...ref, idempotencyKey: k() }, 400, 'invalid');
    expect(await ok(WIRE.item.destroyInstance, { ...ref, reason: 'Consumed', idempotencyKey: k() })).toEqual({});
    await refused(WIRE.item.getInstance, ref, 404, 'not_found');
  });

  it('currency_holdsAndWallets_insufficientFunds422_released409', async () => {
    const gs = randomUUID();
    const owner = { ownerId: randomUUID(), ownerType: 'character', gameServiceId: gs };
    const wallet = await ok(WIRE.currency.getOrCreateWallet, owner);
    await ok(WIRE.currency.credit, { ...owner, currencyCode: 'gold', amount: 10, idempotencyKey: k() });
    expect((await ok(WIRE.currency.getWallet, owner)).balances).toEqual([{ currencyCode: 'gold', amount: 10, held: 0, available: 10 }]);
    await refused(WIRE.currency.getWallet, { gameServiceId: gs }, 400, 'invalid');
    await refused(WIRE.currency.getWallet, { gameServiceId: gs, walletId: randomUUID() }, 404, 'not_found');
    const hold = { walletId: wallet.walletId, gameServiceId: gs, currencyCode: 'gold', expiresAt: new Date(Date.now() + 60_000).toISOString() };
    await refused(WIRE.currency.createHold, { ...hold, amount: 11, idempotencyKey: k() }, 422, 'insufficient_funds');
    const h = await ok(WIRE.currency.createHold, { ...hold, amount: 4, idempotencyKey: k() });
    expect(await ok(WIRE.currency.getHold, { holdId: h.holdId, gameServiceId: gs })).toEqual(h);
    await refused(WIRE.currency.getHold, { holdId: h.holdId, gameServiceId: randomUUID() }, 404, 'not_found');
    expect(await ok(WIRE.currency.captureHold, { holdId: h.holdId, gameServiceId: gs, captureAmount: 3, idempotencyKey: k() })).toMatchObject({ status: 'Captured' });
    await refused(WIRE.currency.releaseHold, { holdId: h.holdId, gameServiceId: gs, idempotencyKey: k() }, 409, 'conflict');
  });

  it('contract_theDanceOverHttp_getUnknown404_milestoneOnProposed409', async () => {
    const gs = randomUUID();
    const parties = [1, 2].map((i) => ({ entityId: randomUUID(), entityType: 'character', role: `r${i}` }));
    const t = await ok(WIRE.contract.createTemplate, { gameServiceId: gs, code: 'c', minParties: 2, milestones: [{ code: 'a', name: 'A' }], idempotencyKey: k() });
    await refused(WIRE.contract.createTemplate, { gameServiceId: gs, code: 'c', minParties: 2, milestones: [{ code: 'a', name: 'A' }], idempotencyKey: k() }, 409, 'conflict');
    const c = await ok(WIRE.contract.createInstance, { templateId: t.templateId, gameServiceId: gs, parties, idempotencyKey: k() });
    expect(c.status).toBe('Proposed');
    const ref = { contractId: c.contractId, gameServiceId: gs };
    await refused(WIRE.contract.completeMilestone, { ...ref, milestoneCode: 'a', idempotencyKey: k() }, 409, 'conflict');
    await ok(WIRE.contract.propose, { ...ref, idempotencyKey: k() });
    for (const p of parties) await ok(WIRE.contract.consent, { ...ref, entityId: p.entityId, entityType: p.entityType, idempotencyKey: k() });
    expect(await ok(WIRE.contract.getInstance, ref)).toMatchObject({ status: 'Active' });
    await refused(WIRE.contract.getInstance, { ...ref, contractId: randomUUID() }, 404, 'not_found');
    const terminated = await ok(WIRE.contract.terminate, { ...ref, reason: 'test', idempotencyKey: k() });
    expect(terminated).toMatchObject({ status: 'Terminated', terminationReason: 'test' });
  });

  it('affixSeedLocationAnalytics_routesReturnTheStubsResults', async () => {
    const gs = randomUUID();
    const def = await ok(WIRE.affix.createDefinition, { gameServiceId: gs, code: 'fire', slotType: 'prefix', tier: 1, weight: 10, valueMin: 1, valueMax: 5 });
    expect(await ok(WIRE.affix.getDefinition, { gameServiceId: gs, code: 'fire' })).toEqual(def);
    await refused(WIRE.affix.getDefinition, { definitionId: randomUUID() }, 404, 'not_found');
    expect(await ok(WIRE.affix.generatePool, { gameServiceId: gs, itemClass: 'sword', itemLevel: 1, slotType: 'prefix' })).toMatchObject({ entries: [{ code: 'fire' }] });
    const item = { itemInstanceId: randomUUID() };
    expect(await ok(WIRE.affix.getItem, item)).toMatchObject({ affixes: [] });
    expect((await ok(WIRE.affix.apply, { ...item, definitionId: def.definitionId, valuePercentileTarget: 1, idempotencyKey: k() })).affixes).toHaveLength(1);
    await refused(WIRE.affix.apply, { ...item, definitionId: def.definitionId, idempotencyKey: k() }, 409, 'conflict');
    await ok(WIRE.affix.rerollValues, { ...item, valuePercentileTarget: 0, idempotencyKey: k() });
    await ok(WIRE.affix.setState, { ...item, isIdentified: true, idempotencyKey: k() });
    await ok(WIRE.affix.remove, { ...item, definitionId: def.definitionId, idempotencyKey: k() });
    expect(await ok(WIRE.affix.setItemState, { ...item, maxPrefixes: 1, idempotencyKey: k() })).toMatchObject({ maxPrefixes: 1 });

    await ok(WIRE.seed.registerType, { gameServiceId: gs, code: 'smith', phases: [{ name: 'novice', threshold: 0 }, { name: 'adept', threshold: 10 }] });
    const owner = { ownerId: randomUUID(), ownerType: 'character', gameServiceId: gs };
    const seed = await ok(WIRE.seed.create, { ...owner, seedTypeCode: 'smith', idempotencyKey: k() });
    expect(await ok(WIRE.seed.getByOwner, owner)).toEqual({ seeds: [seed] });
    expect(await ok(WIRE.seed.recordGrowth, { seedId: seed.seedId, domain: 'smith', amount: 12, source: 't', idempotencyKey: k() })).toMatchObject({ phase: 'adept', previousPhase: 'novice' });
    expect(await ok(WIRE.seed.getPhase, { seedId: seed.seedId })).toMatchObject({ phase: 'adept', nextPhase: null });
    await refused(WIRE.seed.getPhase, { seedId: randomUUID() }, 404, 'not_found');

    const loc = await ok(WIRE.location.create, { name: 'Forge' });
    expect(await ok(WIRE.location.exists, { locationId: loc.locationId })).toEqual({ exists: true });
    const entity = { entityType: 'character', entityId: randomUUID() };
    expect(await ok(WIRE.location.setEntityLocation, { ...entity, locationId: loc.locationId })).toEqual({});
    expect(await ok(WIRE.location.getEntityLocation, entity)).toEqual({ locationId: loc.locationId });
    await refused(WIRE.location.setEntityLocation, { ...entity, locationId: randomUUID() }, 404, 'not_found');

    const serviceId = randomUUID();
    const event = { serviceType: 'craft', serviceId, eventType: 'craft.done', entityId: randomUUID(), entityType: 'character', timestamp: new Date().toISOString(), value: 2 };
    expect(await ok(WIRE.analytics.ingest, event)).toEqual({});
    expect(await ok(WIRE.analytics.list, { serviceId })).toEqual({ events: [{ ...event, eventId: expect.any(String) }] });
  });

  it('malformedBodies_onEveryRoute_are400Invalid_neverA500', async () => {
    const paths = Object.values(WIRE).flatMap((ops) => Object.values(ops) as string[]);
    const notObjects = ['"text"', '[]', 'null', '42', '{"unterminated', ''];
    const wrongTypes = { gameServiceId: {}, instanceId: 5, containerId: [], quantity: 'x', idempotencyKey: 'x'.repeat(500), parties: 'p', milestones: {}, code: 7, ownerId: null };
    for (const path of paths) {
      for (const body of notObjects) {
        const res = await s.post(path, body);
        expect([res.status, res.body?.code], `${path} ${body}`).toEqual([400, 'invalid']);
      }
      for (const body of [{}, wrongTypes]) {
        const res = await s.post(path, body);
        expect(res.status, `${path} ${JSON.stringify(body)} -> ${JSON.stringify(res.body)}`).toBeLessThan(500);
      }
    }
    // Values the database could not hold are refused before they reach it.
    await refused(WIRE.gameService.create, { stubName: 'x'.repeat(150), displayName: 'y' }, 400, 'invalid');
    await refused(WIRE.item.createTemplate, { gameServiceId: randomUUID(), code: 'big', category: 'c', itemLevel: 1e12 }, 400, 'invalid');
    await refused(WIRE.location.create, { name: 'x'.repeat(5000) }, 400, 'invalid');
    await refused(WIRE.item.createTemplate, { gameServiceId: randomUUID(), code: 'long', category: 'c', itemClass: 'x'.repeat(300) }, 400, 'invalid');
    const far = '+010000-01-01T00:00:00Z';
    await refused(WIRE.currency.createHold, { walletId: randomUUID(), gameServiceId: randomUUID(), currencyCode: 'g', amount: 1, expiresAt: far, idempotencyKey: k() }, 400, 'invalid');
    await refused(WIRE.analytics.ingest, { serviceType: 'a', serviceId: 'b', eventType: 'c', entityId: 'd', entityType: 'e', timestamp: far }, 400, 'invalid');
    await refused(WIRE.affix.generatePool, { gameServiceId: randomUUID(), itemClass: 'a', itemLevel: 1e300, slotType: 'prefix' }, 400, 'invalid');
  });
});
