import { ClientError } from '../../clients/errors.js';
import type { GameServiceRegistry } from '../../clients/game-service-client.js';
import { CraftError } from '../../domain/errors.js';

/** Standalone mode: registering game services in the stub, for newcomers and tests. */
export class GameServiceAdmin {
  constructor(private readonly registry: GameServiceRegistry) {}

  async register(input: { stubName: string; displayName: string }) {
    try {
      return await this.registry.register(input);
    } catch (err) {
      if (err instanceof ClientError && err.kind === 'conflict') {
        throw new CraftError('GAME_SERVICE_STUB_NAME_EXISTS', `a game service named "${input.stubName}" already exists`);
      }
      throw err;
    }
  }

  list() {
    return this.registry.list();
  }
}
