/** location (soft dependency): where entities and stations are. */
export interface LocationClient {
  exists(locationId: string): Promise<boolean>;
  getEntityLocation(input: { entityType: string; entityId: string }): Promise<{ locationId: string | null }>;
}
