import type { PrismaClient } from '../../generated/prisma/client.js';
import type { SettingsOverrides, SettingsRepository } from '../../services/settings/settings-service.js';

export class PrismaSettingsRepository implements SettingsRepository {
  constructor(private readonly prisma: PrismaClient) {}

  async find(gameServiceId: string): Promise<SettingsOverrides | null> {
    const row = await this.prisma.craftGameServiceSettings.findUnique({ where: { gameServiceId } });
    return row ? { maxPausedSeconds: row.maxPausedSeconds } : null;
  }

  async save(gameServiceId: string, overrides: SettingsOverrides): Promise<void> {
    await this.prisma.craftGameServiceSettings.upsert({
      where: { gameServiceId },
      create: { gameServiceId, ...overrides },
      update: overrides,
    });
  }
}
