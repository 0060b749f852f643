import type { GameServiceClient } from '../../clients/game-service-client.js';
import type { Scope } from '../scope.js';
import { requireActiveGameService } from '../game-service-access.js';

/** What a game service has set over the deployment's defaults (null = the default). */
export interface SettingsOverrides {
  maxPausedSeconds: number | null;
}

export interface SettingsRepository {
  find(gameServiceId: string): Promise<SettingsOverrides | null>;
  save(gameServiceId: string, overrides: SettingsOverrides): Promise<void>;
}

export interface GameServiceSettingsView {
  gameServiceId: string;
  /** The values in force. */
  maxPausedSeconds: number;
  /** What the game service set itself (null = the deployment's default). */
  overrides: SettingsOverrides;
}

/**
 * Settings a game service sets for itself (craft/settings/get, set), over the deployment's
 * defaults: the longest a session may stay paused (CRAFT_MAX_PAUSED_SECONDS by default). The
 * sweeper reads the overrides with the paused sessions (one query); a session ended for pausing
 * too long is checked against its own game service's limit.
 */
export class SettingsService {
  constructor(
    private readonly d: { repo: SettingsRepository; gameServices: Pick<GameServiceClient, 'get'> },
    private readonly defaults: { maxPausedSeconds: number },
  ) {}

  async get(scope: Scope, gameServiceId: string): Promise<GameServiceSettingsView> {
    await requireActiveGameService(this.d.gameServices, scope, gameServiceId);
    return this.view(gameServiceId, await this.d.repo.find(gameServiceId));
  }

  async set(scope: Scope, gameServiceId: string, change: Partial<SettingsOverrides>): Promise<GameServiceSettingsView> {
    await requireActiveGameService(this.d.gameServices, scope, gameServiceId);
    const current = (await this.d.repo.find(gameServiceId)) ?? { maxPausedSeconds: null };
    // A field left out keeps its value; null gives it back to the deployment's default.
    const next: SettingsOverrides = { maxPausedSeconds: change.maxPausedSeconds === undefined ? current.maxPausedSeconds : change.maxPausedSeconds };
    await this.d.repo.save(gameServiceId, next);
    return this.view(gameServiceId, next);
  }

  /** The paused-time limit of a game service, in milliseconds (system work: no scope). */
  async maxPausedMs(gameServiceId: string): Promise<number> {
    const own = await this.d.repo.find(gameServiceId);
    return (own?.maxPausedSeconds ?? this.defaults.maxPausedSeconds) * 1000;
  }

  private view(gameServiceId: string, own: SettingsOverrides | null): GameServiceSettingsView {
    const overrides = own ?? { maxPausedSeconds: null };
    return { gameServiceId, maxPausedSeconds: overrides.maxPausedSeconds ?? this.defaults.maxPausedSeconds, overrides };
  }

}
