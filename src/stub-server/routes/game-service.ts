import type { StubServices } from '../../clients/stubs/index.js';
import { call, found, id, type Handlers } from '../wire-route.js';

export function gameServiceRoutes(s: StubServices): Handlers<'gameService'> {
  return {
    get: call({ serviceId: id.optional(), stubName: id.optional() }, async (q) => found('game-service', 'game service', await s.gameService.get(q))),
    create: call({ stubName: id.max(100), displayName: id }, (input) => s.gameService.register(input)),
    list: call({}, async () => ({ services: await s.gameService.list() })),
  };
}
