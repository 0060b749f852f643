import type { NeighbourObserver, CallSettings, TokenSource } from './transport.js';
import { HttpTransport } from './transport.js';
import { PROBE_PATHS, type Neighbour } from './wire.js';
import { AffixHttpClient } from './affix-http.js';
import { AnalyticsHttpClient } from './analytics-http.js';
import { ContractHttpClient } from './contract-http.js';
import { CurrencyHttpClient } from './currency-http.js';
import { GameServiceHttpClient } from './game-service-http.js';
import { InventoryHttpClient } from './inventory-http.js';
import { ItemHttpClient } from './item-http.js';
import { LocationHttpClient } from './location-http.js';
import { SeedHttpClient } from './seed-http.js';

export { OUTGOING_ISSUER, tokenSource } from './token.js';
export type { CallSettings, NeighbourObserver } from './transport.js';
export { HttpTransport } from './transport.js';

const CLIENTS = {
  gameService: (t: HttpTransport) => new GameServiceHttpClient(t),
  item: (t: HttpTransport) => new ItemHttpClient(t),
  inventory: (t: HttpTransport) => new InventoryHttpClient(t),
  contract: (t: HttpTransport) => new ContractHttpClient(t),
  currency: (t: HttpTransport) => new CurrencyHttpClient(t),
  affix: (t: HttpTransport) => new AffixHttpClient(t),
  seed: (t: HttpTransport) => new SeedHttpClient(t),
  location: (t: HttpTransport) => new LocationHttpClient(t),
  analytics: (t: HttpTransport) => new AnalyticsHttpClient(t),
} satisfies Record<Neighbour, (t: HttpTransport) => unknown>;

export type HttpClients = { [N in Neighbour]?: ReturnType<(typeof CLIENTS)[N]> };

/** A neighbour's address, per service (the ones not given are not called over HTTP). */
export type NeighbourUrls = Partial<Record<Neighbour, string>>;

/**
 * The HTTP clients of the neighbours that have an address, each with its own transport
 * (pool, breaker, bulkhead); `ping` checks one is reachable, `close` ends every pool.
 */
export function createHttpClients(urls: NeighbourUrls, settings: CallSettings, token: TokenSource, observer: NeighbourObserver | null) {
  const clients: HttpClients = {};
  const transports = new Map<Neighbour, HttpTransport>();
  for (const service of Object.keys(CLIENTS) as Neighbour[]) {
    const url = urls[service];
    if (!url) continue;
    const transport = new HttpTransport(service, url, settings, token, observer);
    transports.set(service, transport);
    (clients as Record<string, unknown>)[service] = CLIENTS[service](transport);
  }
  return {
    clients,
    /** Throws unless the service answers (readiness): a read-only call of its API with `{}`. */
    ping: (service: Neighbour) => {
      const transport = transports.get(service);
      if (!transport) return Promise.resolve();
      return transport.ping(PROBE_PATHS[service]);
    },
    breakerState: (service: Neighbour) => transports.get(service)?.breakerState ?? null,
    close: () => Promise.all([...transports.values()].map((t) => t.close())).then(() => undefined),
  };
}
