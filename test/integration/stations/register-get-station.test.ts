import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from '../../helpers/harness.js';

let h: Harness;
let gs: string;
beforeAll(async () => {
  h = await startHarness();
  gs = await h.gameService();
});
afterAll(() => h.close());

describe('station/register', () => {
  it('registerStation_fullBody_returnsTheStoredStation', async () => {
    const locationId = randomUUID();
    const ownerId = randomUUID();
    const before = Date.now();
    const res = await h.post('/craft/station/register', {
      gameServiceId: gs,
      stationType: 'forge',
      locationId,
      ownerId,
      ownerType: 'npc',
      quality: 0.8,
    });
    expect(res.status).toBe(200);
    expect(res.body.stationId).toMatch(/^[0-9a-f-]{36}$/);
    expect(res.body.station).toEqual({
      stationId: res.body.stationId,
      gameServiceId: gs,
      stationType: 'forge',
      locationId,
      ownerId,
      ownerType: 'npc',
      quality: 0.8,
      isActive: true,
      createdAt: expect.any(String),
      deregisteredAt: null,
    });
    expect(Date.parse(res.body.station.createdAt)).toBeGreaterThanOrEqual(before - 1000);

    const got = await h.post('/craft/station/get', { stationId: res.body.stationId });
    expect(got.status).toBe(200);
    expect(got.body.station).toEqual(res.body.station);
  });

  it('registerStation_minimalBody_isPortableWithoutOwner', async () => {
    const res = await h.post('/craft/station/register', { gameServiceId: gs, stationType: 'loom', quality: 0 });
    expect(res.status).toBe(200);
    expect(res.body.station).toMatchObject({ locationId: null, ownerId: null, ownerType: null, quality: 0, isActive: true });
  });

  it('registerStation_qualityBounds_oneIsAcceptedOutsideIsRejected', async () => {
    const ok = await h.post('/craft/station/register', { gameServiceId: gs, stationType: 'forge', quality: 1 });
    expect(ok.status).toBe(200);
    for (const quality of [1.01, -0.1, 7]) {
      const res = await h.post('/craft/station/register', { gameServiceId: gs, stationType: 'forge', quality });
      expect(res.status, String(quality)).toBe(400);
      expect(res.body.code).toBe('VALIDATION_FAILED');
    }
    const wrongType = await h.post('/craft/station/register', { gameServiceId: gs, stationType: 'forge', quality: '0.5' });
    expect(wrongType.status).toBe(400);
  });

  it('registerStation_unknownGameService_returns400AndWritesNothing', async () => {
    const ghost = randomUUID();
    const res = await h.post('/craft/station/register', { gameServiceId: ghost, stationType: 'forge', quality: 0.5 });
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ code: 'GAME_SERVICE_NOT_FOUND', message: expect.any(String) });
    const list = await h.post('/craft/station/list', { gameServiceId: ghost });
    expect(list.body.totalCount).toBe(0);
  });

  it('registerStation_ownerIdWithoutOwnerType_returns400', async () => {
    const res = await h.post('/craft/station/register', {
      gameServiceId: gs,
      stationType: 'forge',
      ownerId: randomUUID(),
      quality: 0.5,
    });
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('VALIDATION_FAILED');
    expect(res.body.details.errors[0].path).toBe('/ownerType');
  });

  it('registerStation_missingOrUnknownFields_return400', async () => {
    const missing = await h.post('/craft/station/register', { gameServiceId: gs, quality: 0.5 });
    expect(missing.status).toBe(400);
    const extra = await h.post('/craft/station/register', { gameServiceId: gs, stationType: 'forge', quality: 0.5, size: 3 });
    expect(extra.status).toBe(400);
    const badId = await h.post('/craft/station/register', { gameServiceId: 'nope', stationType: 'forge', quality: 0.5 });
    expect(badId.status).toBe(400);
    const longType = await h.post('/craft/station/register', { gameServiceId: gs, stationType: 'x'.repeat(101), quality: 0.5 });
    expect(longType.status).toBe(400);
  });
});

describe('station/get', () => {
  it('getStation_unknownId_returns404WithBody', async () => {
    const res = await h.post('/craft/station/get', { stationId: randomUUID() });
    expect(res.status).toBe(404);
    expect(res.body).toMatchObject({ code: 'STATION_NOT_FOUND', message: expect.any(String) });
  });

  it('getStation_malformedId_returns400', async () => {
    const res = await h.post('/craft/station/get', { stationId: 'forge-1' });
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('VALIDATION_FAILED');
  });
});
