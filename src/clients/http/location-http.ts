import type { LocationClient } from '../location-client.js';
import type { HttpTransport } from './transport.js';
import { WIRE } from './wire.js';

const P = WIRE.location;

/** The location service over HTTP (a soft dependency: stations' locations). */
export class LocationHttpClient implements LocationClient {
  constructor(private readonly t: HttpTransport) {}

  async exists(locationId: string) {
    return (await this.t.call<{ exists: boolean }>(P.exists, { locationId }, { retryable: true })).exists;
  }

  async getEntityLocation(input: { entityType: string; entityId: string }) {
    const found = await this.t.call<{ locationId?: string | null } | null>(P.getEntityLocation, input, { retryable: true, nullOn404: true });
    return { locationId: found?.locationId ?? null };
  }
}
