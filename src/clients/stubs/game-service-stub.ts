import { randomUUID } from 'node:crypto';
import type { PrismaClient } from '../../generated/prisma/client.js';
import { ClientError } from '../errors.js';
import type { GameServiceInfo, GameServiceRegistry } from '../game-service-client.js';

interface Row {
  id: string;
  stubName: string;
  displayName: string;
  isActive: boolean;
  createdAt: Date;
}

const toInfo = (r: Row): GameServiceInfo => ({
  serviceId: r.id,
  stubName: r.stubName,
  displayName: r.displayName,
  isActive: r.isActive,
  createdAt: r.createdAt.toISOString(),
});

/** The game-service service of record in standalone mode (table stub_game_service). */
export class GameServiceStub implements GameServiceRegistry {
  constructor(private readonly prisma: PrismaClient) {}

  async get(query: { serviceId?: string; stubName?: string }): Promise<GameServiceInfo | null> {
    if (!query.serviceId && !query.stubName) return null;
    const row = await this.prisma.stubGameService.findFirst({
      where: query.serviceId ? { id: query.serviceId } : { stubName: query.stubName! },
    });
    return row ? toInfo(row) : null;
  }

  async register(input: { stubName: string; displayName: string }): Promise<GameServiceInfo> {
    try {
      const row = await this.prisma.stubGameService.create({
        data: { id: randomUUID(), stubName: input.stubName, displayName: input.displayName },
      });
      return toInfo(row);
    } catch (err) {
      if ((err as { code?: string }).code === 'P2002') {
        throw new ClientError('game-service', 'conflict', `stubName "${input.stubName}" is taken`);
      }
      throw err;
    }
  }

  async list(): Promise<GameServiceInfo[]> {
    const rows = await this.prisma.stubGameService.findMany({ orderBy: { createdAt: 'asc' } });
    return rows.map(toInfo);
  }
}
