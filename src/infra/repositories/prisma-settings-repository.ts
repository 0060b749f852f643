import type { PrismaClient } from '../../generated/prisma/client.js';
import type { SettingsOverrides, SettingsRepository } from '../../services/settings/settings-service.js';

export class PrismaSettingsRepository implements SettingsRepository {
  constructor(private readonly prisma: PrismaClient) {}

  async find(gameServiceId: string): Promise<SettingsOverrides | null> {
    const row = await this.prisma.craftGameServiceSettings.findUnique({ where: { gameServiceId } });
    return row ? { maxPausedSeconds: row.maxPausedSeconds } : null;
  }

  async save(gameServiceId: string, overrides: SettingsOverrides): Promise<void> {
    // One statement (Prisma's upsert is a read then a write: two first saves at once would collide).
    await this.prisma.$executeRaw`
      INSERT INTO CraftGameServiceSettings (gameServiceId, maxPausedSeconds, updatedAt)
      VALUES (${gameServiceId}, ${overrides.maxPausedSeconds}, NOW(3))
      ON DUPLICATE KEY UPDATE maxPausedSeconds = VALUES(maxPausedSeconds), updatedAt = VALUES(updatedAt)`;
  }
}
