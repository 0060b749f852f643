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

async function register(body: Record<string, unknown> = {}) {
  const res = await h.post('/craft/station/register', { gameServiceId: gs, stationType: 'forge', quality: 0.6, ...body });
  expect(res.status).toBe(200);
  return res.body.station;
}

describe('station/deregister', () => {
  it('deregisterStation_active_marksInactiveAndKeepsTheRecord', async () => {
    const station = await register({ locationId: randomUUID() });
    const res = await h.post('/craft/station/deregister', { stationId: station.stationId });
    expect(res.status).toBe(200);
    expect(res.body.station).toEqual({ ...station, isActive: false, deregisteredAt: expect.any(String) });
    expect(Date.parse(res.body.station.deregisteredAt)).toBeGreaterThanOrEqual(Date.parse(station.createdAt));

    const got = await h.post('/craft/station/get', { stationId: station.stationId });
    expect(got.status).toBe(200);
    expect(got.body.station).toEqual(res.body.station);
  });

  it('deregisterStation_twice_returnsTheSameStationUnchanged', async () => {
    const station = await register();
    const first = await h.post('/craft/station/deregister', { stationId: station.stationId });
    await new Promise((r) => setTimeout(r, 20));
    const second = await h.post('/craft/station/deregister', { stationId: station.stationId });
    expect(second.status).toBe(200);
    expect(second.body).toEqual(first.body);
  });

  it('deregisterStation_concurrently_allAnswerTheSameStation', async () => {
    const station = await register();
    const results = await Promise.all(
      Array.from({ length: 8 }, () => h.post('/craft/station/deregister', { stationId: station.stationId })),
    );
    for (const r of results) expect(r.status).toBe(200);
    expect(new Set(results.map((r) => r.body.station.deregisteredAt)).size).toBe(1);
  });

  it('deregisterStation_leavesOtherStationsActive', async () => {
    const a = await register();
    const b = await register();
    await h.post('/craft/station/deregister', { stationId: a.stationId });
    const res = await h.post('/craft/station/get', { stationId: b.stationId });
    expect(res.body.station).toMatchObject({ isActive: true, deregisteredAt: null });
  });

  it('deregisterStation_unknownId_returns404', async () => {
    const res = await h.post('/craft/station/deregister', { stationId: randomUUID() });
    expect(res.status).toBe(404);
    expect(res.body).toMatchObject({ code: 'STATION_NOT_FOUND', message: expect.any(String) });
  });
});
