import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from '../../helpers/harness.js';

interface Station {
  stationId: string;
  stationType: string;
  locationId: string | null;
  isActive: boolean;
  createdAt: string;
}

let h: Harness;
let gs: string;
let other: string;
const hall = randomUUID();
const yard = randomUUID();
const all: Station[] = [];

beforeAll(async () => {
  h = await startHarness();
  gs = await h.gameService();
  other = await h.gameService();
  // 25 stations: forge / loom / alchemy_bench spread over two locations and none.
  // Registered concurrently so some share a createdAt millisecond (the id breaks ties).
  const types = ['forge', 'loom', 'alchemy_bench'];
  const locations = [hall, hall, yard, yard, null];
  const results = await Promise.all(
    Array.from({ length: 25 }, (_, i) => {
      const locationId = locations[i % 5];
      return h.post('/craft/station/register', {
        gameServiceId: gs,
        stationType: types[i % 3],
        ...(locationId && { locationId }),
        quality: (i % 10) / 10,
      });
    }),
  );
  for (const r of results) {
    expect(r.status).toBe(200);
    all.push(r.body.station);
  }
  await h.post('/craft/station/register', { gameServiceId: other, stationType: 'forge', locationId: hall, quality: 0.5 });
  // Deregister the first five forges.
  const forges = all.filter((s) => s.stationType === 'forge').slice(0, 5);
  for (const s of forges) {
    const res = await h.post('/craft/station/deregister', { stationId: s.stationId });
    expect(res.status).toBe(200);
    Object.assign(s, res.body.station);
  }
});
afterAll(() => h.close());

const byCreation = (a: Station, b: Station) =>
  a.createdAt.localeCompare(b.createdAt) || a.stationId.localeCompare(b.stationId);

describe('station/list', () => {
  it('listStations_pages_coverEveryStationOnceOldestFirst', async () => {
    const seen: Station[] = [];
    for (let page = 1; page <= 3; page++) {
      const res = await h.post('/craft/station/list', { gameServiceId: gs, page, pageSize: 10 });
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ page, pageSize: 10, totalCount: 25 });
      expect(res.body.stations).toHaveLength(page === 3 ? 5 : 10);
      seen.push(...res.body.stations);
    }
    expect(new Set(seen.map((s) => s.stationId)).size).toBe(25);
    expect(seen.map((s) => s.stationId)).toEqual([...all].sort(byCreation).map((s) => s.stationId));
  });

  it('listStations_defaultPaging_is20PerPage', async () => {
    const res = await h.post('/craft/station/list', { gameServiceId: gs });
    expect(res.body).toMatchObject({ page: 1, pageSize: 20, totalCount: 25 });
    expect(res.body.stations).toHaveLength(20);
  });

  it('listStations_pageBeyondTheEnd_isEmptyWithTheTotal', async () => {
    const res = await h.post('/craft/station/list', { gameServiceId: gs, page: 9, pageSize: 10 });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ stations: [], page: 9, totalCount: 25 });
  });

  it('listStations_filters_combine', async () => {
    const expectIds = async (filter: Record<string, unknown>, want: (s: Station) => boolean) => {
      const res = await h.post('/craft/station/list', { gameServiceId: gs, pageSize: 100, ...filter });
      expect(res.status).toBe(200);
      const expected = all.filter(want).sort(byCreation).map((s) => s.stationId);
      expect(expected.length, JSON.stringify(filter)).toBeGreaterThan(0);
      expect(res.body.totalCount).toBe(expected.length);
      expect(res.body.stations.map((s: Station) => s.stationId)).toEqual(expected);
    };
    await expectIds({ stationType: 'forge' }, (s) => s.stationType === 'forge');
    await expectIds({ locationId: hall }, (s) => s.locationId === hall);
    await expectIds({ stationType: 'loom', locationId: yard }, (s) => s.stationType === 'loom' && s.locationId === yard);
    await expectIds({ isActive: false }, (s) => !s.isActive);
    await expectIds({ isActive: true, stationType: 'forge' }, (s) => s.isActive && s.stationType === 'forge');
  });

  it('listStations_byLocationAcrossGameServices_includesEveryGameService', async () => {
    const res = await h.post('/craft/station/list', { locationId: hall, pageSize: 100 });
    expect(res.body.totalCount).toBe(all.filter((s) => s.locationId === hall).length + 1);
    const scoped = await h.post('/craft/station/list', { gameServiceId: other, locationId: hall });
    expect(scoped.body.totalCount).toBe(1);
  });

  it('listStations_invalidPaging_returns400', async () => {
    for (const body of [{ page: 0 }, { pageSize: 101 }, { pageSize: 0 }, { isActive: 'yes' }]) {
      const res = await h.post('/craft/station/list', { gameServiceId: gs, ...body });
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body.code).toBe('VALIDATION_FAILED');
    }
  });
});
