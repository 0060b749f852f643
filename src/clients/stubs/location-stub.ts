import { randomUUID } from 'node:crypto';
import { ClientError } from '../errors.js';
import type { LocationClient } from '../location-client.js';
import { requireNonEmpty, StubCalls, type StubDeps } from './stub-calls.js';

const SERVICE = 'location';

export interface StubLocationInfo {
  locationId: string;
  name: string;
}

/**
 * The location service of record in standalone mode (tables stub_location and
 * stub_entity_location). Locations and entity positions are set through the admin calls
 * `create` and `setEntityLocation`; an entity nobody placed is nowhere (null).
 */
export class LocationStub implements LocationClient {
  private readonly calls: StubCalls;

  constructor(deps: StubDeps) {
    this.calls = new StubCalls(SERVICE, deps);
  }

  exists(locationId: string): Promise<boolean> {
    return this.calls.call('exists', async () => {
      if (typeof locationId !== 'string' || locationId === '' || locationId.length > 100) return false;
      return (await this.calls.prisma.stubLocation.count({ where: { id: locationId } })) > 0;
    });
  }

  getEntityLocation(input: { entityType: string; entityId: string }): Promise<{ locationId: string | null }> {
    return this.calls.call('getEntityLocation', async () => {
      const row = await this.calls.prisma.stubEntityLocation.findUnique({
        where: { entityType_entityId: { entityType: input.entityType, entityId: input.entityId } },
      });
      return { locationId: row?.locationId ?? null };
    });
  }

  /** Admin: creates a location (a fresh id unless one is given); an id taken is `conflict`. */
  create(input: { locationId?: string; name: string }): Promise<StubLocationInfo> {
    return this.calls.call('create', async () => {
      const name = requireNonEmpty(SERVICE, 'name', input.name, 200);
      const id = input.locationId === undefined ? randomUUID() : requireNonEmpty(SERVICE, 'locationId', input.locationId, 100);
      try {
        const row = await this.calls.prisma.stubLocation.create({ data: { id, name } });
        return { locationId: row.id, name: row.name };
      } catch (err) {
        if ((err as { code?: string }).code !== 'P2002') throw err;
        throw new ClientError(SERVICE, 'conflict', `location ${id} exists`);
      }
    });
  }

  /** Admin: places an entity at a known location (`not_found` otherwise), or nowhere with null. */
  setEntityLocation(input: { entityType: string; entityId: string; locationId: string | null }): Promise<void> {
    return this.calls.call('setEntityLocation', async () => {
      const entityType = requireNonEmpty(SERVICE, 'entityType', input.entityType, 100);
      const entityId = requireNonEmpty(SERVICE, 'entityId', input.entityId, 100);
      const where = { entityType_entityId: { entityType, entityId } };
      const prisma = this.calls.prisma;
      if (input.locationId === null) {
        await prisma.stubEntityLocation.deleteMany({ where: { entityType, entityId } });
        return;
      }
      const locationId = requireNonEmpty(SERVICE, 'locationId', input.locationId, 100);
      if ((await prisma.stubLocation.count({ where: { id: locationId } })) === 0) throw new ClientError(SERVICE, 'not_found', `location ${locationId} not found`);
      await prisma.stubEntityLocation.upsert({ where, create: { entityType, entityId, locationId }, update: { locationId } });
    });
  }
}
