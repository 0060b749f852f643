/** seed (soft dependency): growth-based progression; proficiency can live here. */
export interface SeedInfo {
  seedId: string;
  ownerId: string;
  ownerType: string;
  seedTypeCode: string;
  totalGrowth: number;
}

export interface SeedClient {
  registerType(input: { code: string; gameServiceId: string; phases: { name: string; threshold: number }[] }): Promise<void>;
  create(input: { ownerId: string; ownerType: string; seedTypeCode: string }, idempotencyKey: string): Promise<SeedInfo>;
  getByOwner(input: { ownerId: string; ownerType: string; seedTypeCode?: string }): Promise<SeedInfo[]>;
  recordGrowth(
    input: { seedId: string; domain: string; amount: number; source: string },
    idempotencyKey: string,
  ): Promise<SeedInfo>;
  getPhase(seedId: string): Promise<{ phase: string; totalGrowth: number }>;
}
