import type { AffixClient } from './affix-client.js';
import type { AnalyticsClient } from './analytics-client.js';
import type { ContractClient } from './contract-client.js';
import type { CurrencyClient } from './currency-client.js';
import type { GameServiceClient } from './game-service-client.js';
import type { InventoryClient } from './inventory-client.js';
import type { ItemClient } from './item-client.js';
import type { LocationClient } from './location-client.js';
import type { SeedClient } from './seed-client.js';

/**
 * Hard dependencies are required; soft ones are null when not configured and the
 * service degrades as the seed document says (see README, "Dependencies").
 */
export interface Clients {
  gameService: GameServiceClient;
  item?: ItemClient;
  inventory?: InventoryClient;
  contract?: ContractClient;
  currency?: CurrencyClient;
  affix: AffixClient | null;
  seed: SeedClient | null;
  location: LocationClient | null;
  analytics: AnalyticsClient | null;
}
