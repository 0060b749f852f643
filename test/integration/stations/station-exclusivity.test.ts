import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PrismaUnitOfWork } from '../../../src/infra/db/unit-of-work.js';
import type { UnitOfWork } from '../../../src/services/ports.js';
import type { StationService } from '../../../src/services/stations/station-service.js';
import { startHarness, type Harness } from '../../helpers/harness.js';

let h: Harness;
let gs: string;
let stations: StationService;
let uow: UnitOfWork;
beforeAll(async () => {
  h = await startHarness();
  gs = await h.gameService();
  stations = h.runtime.services.stations;
  uow = new PrismaUnitOfWork(h.runtime.internals.prisma);
});
afterAll(() => h.close());

async function register() {
  const res = await h.post('/craft/station/register', { gameServiceId: gs, stationType: 'forge', quality: 0.7 });
  expect(res.status).toBe(200);
  return res.body.stationId as string;
}

const claim = (stationId: string, sessionId: string) => uow.run((tx) => stations.claim(tx, stationId, sessionId));
const release = (stationId: string, sessionId: string) => uow.run((tx) => stations.release(tx, stationId, sessionId));
const holder = async (stationId: string) =>
  (await h.runtime.internals.prisma.station.findUnique({ where: { id: stationId }, select: { activeSessionId: true } }))?.activeSessionId;

describe('station exclusivity (CRAFT_STATION_EXCLUSIVITY)', () => {
  it('claim_20ConcurrentSessions_exactlyOneWins', async () => {
    const stationId = await register();
    const sessions = Array.from({ length: 20 }, () => randomUUID());
    const results = await Promise.all(sessions.map((s) => claim(stationId, s)));
    expect(results.filter(Boolean)).toHaveLength(1);
    const winner = sessions[results.indexOf(true)];
    expect(await holder(stationId)).toBe(winner);
  });

  it('claim_bySessionAlreadyHoldingIt_succeedsAgain', async () => {
    const stationId = await register();
    const session = randomUUID();
    expect(await claim(stationId, session)).toBe(true);
    expect(await claim(stationId, session)).toBe(true);
    expect(await claim(stationId, randomUUID())).toBe(false);
  });

  it('release_byNonHolder_doesNothing', async () => {
    const stationId = await register();
    const owner = randomUUID();
    expect(await claim(stationId, owner)).toBe(true);
    expect(await release(stationId, randomUUID())).toBe(false);
    expect(await holder(stationId)).toBe(owner);
    expect(await claim(stationId, randomUUID())).toBe(false);
  });

  it('release_byHolder_freesTheStationForTheNextSession', async () => {
    const stationId = await register();
    const first = randomUUID();
    const next = randomUUID();
    expect(await claim(stationId, first)).toBe(true);
    expect(await release(stationId, first)).toBe(true);
    expect(await holder(stationId)).toBeNull();
    expect(await release(stationId, first)).toBe(false);
    expect(await claim(stationId, next)).toBe(true);
    expect(await holder(stationId)).toBe(next);
  });

  it('claim_rolledBackTransaction_leavesTheStationFree', async () => {
    const stationId = await register();
    await expect(
      uow.run(async (tx) => {
        expect(await stations.claim(tx, stationId, randomUUID())).toBe(true);
        throw new Error('session start failed later in the transaction');
      }),
    ).rejects.toThrow(/failed later/);
    expect(await holder(stationId)).toBeNull();
  });

  it('claim_deregisteredOrUnknownStation_fails', async () => {
    const stationId = await register();
    await h.post('/craft/station/deregister', { stationId });
    expect(await claim(stationId, randomUUID())).toBe(false);
    expect((await stations.find(stationId, gs))?.isActive).toBe(false);
    expect(await claim(randomUUID(), randomUUID())).toBe(false);
  });

  it('deregister_whileHeld_keepsTheClaimSoTheSessionCanRelease', async () => {
    const stationId = await register();
    const session = randomUUID();
    expect(await claim(stationId, session)).toBe(true);
    const res = await h.post('/craft/station/deregister', { stationId });
    expect(res.status).toBe(200);
    expect(res.body.station).not.toHaveProperty('activeSessionId');
    expect(await release(stationId, session)).toBe(true);
  });

  it('find_stationOfTheGameService_returnsIt_anotherGameServiceFindsNothing', async () => {
    const stationId = await register();
    expect(await stations.find(stationId, gs)).toMatchObject({ stationId, isActive: true, quality: 0.7 });
    expect(await stations.find(stationId, randomUUID())).toBeNull();
  });
});
