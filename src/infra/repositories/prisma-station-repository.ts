import type { Prisma, PrismaClient, Station } from '../../generated/prisma/client.js';
import type { Tx } from '../../services/ports.js';
import type { StationInfo, StationListFilter, StationRecord } from '../../services/stations/station-model.js';
import type { StationRepository } from '../../services/stations/station-repository.js';
import { txClient } from '../db/unit-of-work.js';

export function rowToStation(row: Station): StationRecord {
  return {
    station: {
      stationId: row.id,
      gameServiceId: row.gameServiceId,
      stationType: row.stationType,
      locationId: row.locationId,
      ownerId: row.ownerId,
      ownerType: row.ownerType,
      quality: row.quality,
      // Tier 0 and no capacity are the defaults: left out, so a station registered without them reads as before.
      ...(row.tier > 0 && { tier: row.tier }),
      ...(row.capacity && { capacity: JSON.parse(row.capacity) as Record<string, number> }),
      isActive: row.isActive,
      createdAt: row.createdAt.toISOString(),
      deregisteredAt: row.deregisteredAt ? row.deregisteredAt.toISOString() : null,
    },
    activeSessionId: row.activeSessionId,
  };
}

export class PrismaStationRepository implements StationRepository {
  constructor(private readonly prisma: PrismaClient) {}

  async insert(s: StationInfo) {
    await this.prisma.station.create({
      data: {
        id: s.stationId,
        gameServiceId: s.gameServiceId,
        stationType: s.stationType,
        locationId: s.locationId ?? null,
        ownerId: s.ownerId ?? null,
        ownerType: s.ownerType ?? null,
        quality: s.quality,
        tier: s.tier ?? 0,
        capacity: s.capacity ? JSON.stringify(s.capacity) : null,
        isActive: s.isActive,
        createdAt: new Date(s.createdAt),
        deregisteredAt: s.deregisteredAt ? new Date(s.deregisteredAt) : null,
      },
    });
  }

  async findById(id: string, gameServiceIds?: string[] | null) {
    if (gameServiceIds && gameServiceIds.length === 0) return null;
    const row = await this.prisma.station.findFirst({ where: { id, ...(gameServiceIds && { gameServiceId: { in: gameServiceIds } }) } });
    return row ? rowToStation(row) : null;
  }

  async list(f: StationListFilter) {
    const where: Prisma.StationWhereInput = {
      ...(f.gameServiceId && { gameServiceId: f.gameServiceId }),
      ...(f.gameServiceIds && { AND: [{ gameServiceId: { in: f.gameServiceIds } }] }),
      ...(f.stationType && { stationType: f.stationType }),
      ...(f.locationId && { locationId: f.locationId }),
      ...(f.isActive != null && { isActive: f.isActive }),
    };
    const [rows, totalCount] = await Promise.all([
      this.prisma.station.findMany({
        where,
        orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
        skip: (f.page - 1) * f.pageSize,
        take: f.pageSize,
      }),
      this.prisma.station.count({ where }),
    ]);
    return { items: rows.map((r) => rowToStation(r).station), totalCount };
  }

  async deactivate(id: string, at: Date, gameServiceIds?: string[] | null) {
    if (gameServiceIds && gameServiceIds.length === 0) return null;
    const scoped = gameServiceIds ? { gameServiceId: { in: gameServiceIds } } : {};
    // Conditional: only the first deregistration writes, so a repeat leaves the row unchanged.
    await this.prisma.station.updateMany({ where: { id, isActive: true, ...scoped }, data: { isActive: false, deregisteredAt: at } });
    return this.findById(id, gameServiceIds);
  }

  async claim(tx: Tx, stationId: string, sessionId: string) {
    const result = await txClient(tx).station.updateMany({
      where: { id: stationId, isActive: true, OR: [{ activeSessionId: null }, { activeSessionId: sessionId }] },
      data: { activeSessionId: sessionId },
    });
    return result.count === 1;
  }

  async release(tx: Tx, stationId: string, sessionId: string) {
    const result = await txClient(tx).station.updateMany({
      where: { id: stationId, activeSessionId: sessionId },
      data: { activeSessionId: null },
    });
    return result.count === 1;
  }
}
