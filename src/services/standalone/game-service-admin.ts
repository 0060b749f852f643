import { ClientError } from '../../clients/errors.js';
import type { GameServiceRegistry } from '../../clients/game-service-client.js';
import { CraftError } from '../../domain/errors.js';
import type { Scope } from '../scope.js';

/** Standalone mode: registering game services in the stub, for newcomers and tests. */
export class GameServiceAdmin {
  constructor(private readonly registry: GameServiceRegistry) {}

  /**
   * A new game service belongs to no caller's scope yet: only a caller trusted with every
   * game service (`"*"`) may register one.
   */
  async register(scope: Scope, input: { stubName: string; displayName: string }) {
    if (!scope.unrestricted) {
      throw new CraftError('FORBIDDEN', 'registering a game service needs a token for every game service (gameServices "*")');
    }
    try {
      return await this.registry.register(input);
    } catch (err) {
      if (err instanceof ClientError && err.kind === 'conflict') {
        throw new CraftError('GAME_SERVICE_STUB_NAME_EXISTS', `a game service named "${input.stubName}" already exists`);
      }
      throw err;
    }
  }

  /** The caller's game services. */
  async list(scope: Scope) {
    return (await this.registry.list()).filter((gs) => scope.allows(gs.serviceId));
  }
}
