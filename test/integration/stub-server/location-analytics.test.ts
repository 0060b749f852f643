// The location and analytics stubs, in process.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStubs, type StubEnv } from '../stubs/stub-env.js';

let env: StubEnv;
beforeAll(async () => {
  env = await startStubs();
});
afterAll(async () => {
  await env.close();
});

describe('location stub', () => {
  it('create_existsAndEntityPlacement_roundTrip', async () => {
    const made = await env.location.create({ name: 'Forge' });
    expect(made).toEqual({ locationId: expect.any(String), name: 'Forge' });
    const given = randomUUID();
    expect(await env.location.create({ locationId: given, name: 'Mill' })).toEqual({ locationId: given, name: 'Mill' });
    await expect(env.location.create({ locationId: given, name: 'Again' })).rejects.toMatchObject({ kind: 'conflict' });
    await expect(env.location.create({ name: '' })).rejects.toMatchObject({ kind: 'invalid' });
    expect(await env.location.exists(made.locationId)).toBe(true);
    expect(await env.location.exists(randomUUID())).toBe(false);

    const entity = { entityType: 'character', entityId: randomUUID() };
    expect(await env.location.getEntityLocation(entity)).toEqual({ locationId: null });
    await env.location.setEntityLocation({ ...entity, locationId: made.locationId });
    expect(await env.location.getEntityLocation(entity)).toEqual({ locationId: made.locationId });
    await env.location.setEntityLocation({ ...entity, locationId: given });
    expect(await env.location.getEntityLocation(entity)).toEqual({ locationId: given });
    await expect(env.location.setEntityLocation({ ...entity, locationId: randomUUID() })).rejects.toMatchObject({ kind: 'not_found' });
    await env.location.setEntityLocation({ ...entity, locationId: null });
    expect(await env.location.getEntityLocation(entity)).toEqual({ locationId: null });
  });

  it('faults_canMakeTheLocationServiceUnavailable', async () => {
    env.faults.arm('location.exists', { times: 1 });
    await expect(env.location.exists(randomUUID())).rejects.toMatchObject({ kind: 'unavailable' });
    expect(await env.location.exists(randomUUID())).toBe(false);
  });
});

describe('analytics stub', () => {
  it('ingest_storesEvents_listFiltersNewestFirstWithALimit', async () => {
    const serviceId = randomUUID();
    const at = (s: number) => new Date(Date.UTC(2026, 0, 1, 0, 0, s)).toISOString();
    const event = (eventType: string, s: number) => ({
      serviceType: 'craft',
      serviceId,
      eventType,
      entityId: randomUUID(),
      entityType: 'character',
      timestamp: at(s),
    });
    const a = { ...event('craft.completed', 1), value: 0.75, metadata: { recipe: 'sword' } };
    const b = event('craft.started', 2);
    const c = event('craft.completed', 3);
    for (const e of [a, b, c]) await env.analytics.ingest(e);
    const all = await env.analytics.list({ serviceId });
    expect(all.map((e) => e.timestamp)).toEqual([at(3), at(2), at(1)]);
    expect(all[2]).toEqual({ ...a, eventId: expect.any(String) });
    expect(all[1]).not.toHaveProperty('value');
    expect((await env.analytics.list({ serviceId, eventType: 'craft.completed' })).map((e) => e.timestamp)).toEqual([at(3), at(1)]);
    expect(await env.analytics.list({ serviceId, limit: 1 })).toHaveLength(1);
    await expect(env.analytics.list({ limit: 0 })).rejects.toMatchObject({ kind: 'invalid' });
    await expect(env.analytics.ingest({ ...b, timestamp: 'yesterday' })).rejects.toMatchObject({ kind: 'invalid' });
    await expect(env.analytics.ingest({ ...b, serviceType: '' })).rejects.toMatchObject({ kind: 'invalid' });
  });
});
