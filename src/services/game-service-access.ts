import type { GameServiceClient } from '../clients/game-service-client.js';
import { CraftError } from '../domain/errors.js';
import type { Scope } from './scope.js';

/**
 * The game service a write names must exist, be active and be in the caller's scope; one outside
 * the scope is unknown, like one that does not exist (GAME_SERVICE_NOT_FOUND).
 */
export async function requireActiveGameService(gameServices: Pick<GameServiceClient, 'get'>, scope: Scope, gameServiceId: string): Promise<void> {
  const gs = scope.allows(gameServiceId) ? await gameServices.get({ serviceId: gameServiceId }) : null;
  if (!gs || !gs.isActive) throw new CraftError('GAME_SERVICE_NOT_FOUND', 'unknown or inactive game service', { gameServiceId });
}
