import type { GameServiceClient } from '../../clients/game-service-client.js';
import type { LocationClient } from '../../clients/location-client.js';
import { ClientError } from '../../clients/errors.js';
import { CraftError } from '../../domain/errors.js';
import type { Clock, IdGenerator, Logger, Tx } from '../ports.js';
import type { RegisterStationInput, StationInfo, StationListFilter } from './station-model.js';
import type { Scope } from '../scope.js';
import type { StationRepository } from './station-repository.js';
import { requireActiveGameService } from '../game-service-access.js';

export interface StationServiceDeps {
  repo: StationRepository;
  gameServices: GameServiceClient;
  /** Soft dependency: when null (not configured) station locations are not checked. */
  locations: LocationClient | null;
  clock: Clock;
  ids: IdGenerator;
  log: Logger;
}

/** The station registry: where crafting can happen, and (optionally) who is using it. */
export class StationService {
  constructor(private readonly d: StationServiceDeps) {}

  async register(scope: Scope, input: RegisterStationInput): Promise<{ stationId: string; station: StationInfo }> {
    if ((input.ownerId == null) !== (input.ownerType == null)) {
      throw new CraftError('VALIDATION_FAILED', 'ownerId and ownerType go together', {
        errors: [{ path: input.ownerId == null ? '/ownerId' : '/ownerType', code: 'OWNER_INCOMPLETE', message: 'give both ownerId and ownerType, or neither' }],
      });
    }
    await requireActiveGameService(this.d.gameServices, scope, input.gameServiceId);
    if (input.locationId) await this.requireLocation(input.locationId);
    const station: StationInfo = {
      stationId: this.d.ids.uuid(),
      gameServiceId: input.gameServiceId,
      stationType: input.stationType,
      locationId: input.locationId ?? null,
      ownerId: input.ownerId ?? null,
      ownerType: input.ownerType ?? null,
      quality: input.quality,
      ...(input.tier && { tier: input.tier }),
      ...(input.capacity && { capacity: input.capacity }),
      isActive: true,
      createdAt: this.d.clock.now().toISOString(),
      deregisteredAt: null,
    };
    await this.d.repo.insert(station);
    return { stationId: station.stationId, station };
  }

  /** A station of a game service outside the scope is not found, exactly like a missing one. */
  async get(scope: Scope, stationId: string): Promise<StationInfo> {
    const found = await this.d.repo.findById(stationId, scope.gameServiceIds);
    if (!found) throw new CraftError('STATION_NOT_FOUND', 'no such station', { stationId });
    return found.station;
  }

  /** The scope's stations only (all of its game services, or the one named). */
  async list(scope: Scope, filter: StationListFilter) {
    const gameServiceIds = scope.narrow(filter.gameServiceId);
    const { items, totalCount } =
      gameServiceIds && gameServiceIds.length === 0 ? { items: [], totalCount: 0 } : await this.d.repo.list({ ...filter, gameServiceIds });
    return { stations: items, page: filter.page, pageSize: filter.pageSize, totalCount };
  }

  /** Marks the station inactive; the record is kept. A second call returns it unchanged. */
  async deregister(scope: Scope, stationId: string): Promise<{ station: StationInfo }> {
    const found = await this.d.repo.deactivate(stationId, this.d.clock.now(), scope.gameServiceIds);
    if (!found) throw new CraftError('STATION_NOT_FOUND', 'no such station', { stationId });
    return { station: found.station };
  }

  /** For sessions and queries: a station of the game service (null when there is none). */
  async find(stationId: string, gameServiceId: string): Promise<StationInfo | null> {
    return (await this.d.repo.findById(stationId, [gameServiceId]))?.station ?? null;
  }

  /**
   * CRAFT_STATION_EXCLUSIVITY: claims the station for a session inside the caller's
   * transaction. True when the session holds it (re-claiming is fine); false when the
   * station is held by another session or is no longer active.
   */
  claim(tx: Tx, stationId: string, sessionId: string): Promise<boolean> {
    return this.d.repo.claim(tx, stationId, sessionId);
  }

  /** Frees the station if this session holds it; a non-holder changes nothing (false). */
  release(tx: Tx, stationId: string, sessionId: string): Promise<boolean> {
    return this.d.repo.release(tx, stationId, sessionId);
  }


  private async requireLocation(locationId: string) {
    const locations = this.d.locations;
    if (!locations) return;
    let exists: boolean;
    try {
      exists = await locations.exists(locationId);
    } catch (err) {
      // A soft dependency: when it is down the station registers without the check.
      if (err instanceof ClientError && err.kind === 'unavailable') {
        this.d.log.warn({ err, locationId }, 'location service unavailable; station location not checked');
        return;
      }
      throw err;
    }
    if (!exists) throw new CraftError('LOCATION_NOT_FOUND', 'unknown location', { locationId });
  }
}
