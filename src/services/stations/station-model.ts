import type { components } from '../../generated/craft-api.js';

export type StationInfo = components['schemas']['StationInfo'];
export type RegisterStationInput = components['schemas']['RegisterStationRequest'];

/** A station as stored: what callers see plus the exclusivity claim, which stays internal. */
export interface StationRecord {
  station: StationInfo;
  /** Session holding the station when CRAFT_STATION_EXCLUSIVITY is on; null = free. */
  activeSessionId: string | null;
}

export interface StationListFilter {
  gameServiceId?: string | null;
  /** Only these game services (null = every one): the caller's scope. */
  gameServiceIds?: string[] | null;
  stationType?: string | null;
  locationId?: string | null;
  isActive?: boolean | null;
  page: number;
  pageSize: number;
}
