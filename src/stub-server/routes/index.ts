import type { StubServices } from '../../clients/stubs/index.js';
import type { Neighbour } from '../../clients/http/wire.js';
import type { Handlers } from '../wire-route.js';
import { affixRoutes } from './affix.js';
import { analyticsRoutes } from './analytics.js';
import { contractRoutes } from './contract.js';
import { currencyRoutes } from './currency.js';
import { gameServiceRoutes } from './game-service.js';
import { inventoryRoutes } from './inventory.js';
import { itemRoutes } from './item.js';
import { locationRoutes } from './location.js';
import { seedRoutes } from './seed.js';

/** A handler for every operation of every neighbour in WIRE (a gap is a compile error). */
export function wireHandlers(stubs: StubServices): { [N in Neighbour]: Handlers<N> } {
  return {
    gameService: gameServiceRoutes(stubs),
    item: itemRoutes(stubs),
    inventory: inventoryRoutes(stubs),
    currency: currencyRoutes(stubs),
    contract: contractRoutes(stubs),
    affix: affixRoutes(stubs),
    seed: seedRoutes(stubs),
    location: locationRoutes(stubs),
    analytics: analyticsRoutes(stubs),
  };
}
