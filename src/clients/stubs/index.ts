import type { PrismaClient } from '../../generated/prisma/client.js';
import { AffixStub } from './affix-stub.js';
import { AnalyticsStub } from './analytics-stub.js';
import { ContractStub, type ContractStubOptions } from './contract-stub.js';
import { CurrencyStub } from './currency-stub.js';
import { StubFaults } from './faults.js';
import { GameServiceStub } from './game-service-stub.js';
import { InventoryStub } from './inventory-stub.js';
import { ItemStub } from './item-stub.js';
import { LocationStub } from './location-stub.js';
import { SeedStub } from './seed-stub.js';
import type { StubLogger } from './stub-calls.js';

export { AffixStub, AFFIX_OPS } from './affix-stub.js';
export { AnalyticsStub, type StoredAnalyticsEvent } from './analytics-stub.js';
export {
  ContractStub,
  SYSTEM_PARTY,
  type ContractStubOptions,
  type ContractTemplate,
  type ContractTemplateMilestone,
  type ContractTerminatedEvent,
  type PreboundCall,
} from './contract-stub.js';
export { CurrencyStub } from './currency-stub.js';
export { StubFaults, type FaultOptions, type FaultPhase } from './faults.js';
export { GameServiceStub } from './game-service-stub.js';
export { InventoryStub } from './inventory-stub.js';
export { ItemStub } from './item-stub.js';
export { LocationStub, type StubLocationInfo } from './location-stub.js';
export { SeedStub, SEED_OPS } from './seed-stub.js';
export type { StubDeps, StubLogger } from './stub-calls.js';

/** Every stub service of a process, sharing one Prisma client and one fault injector. */
export interface StubServices {
  faults: StubFaults;
  gameService: GameServiceStub;
  item: ItemStub;
  inventory: InventoryStub;
  currency: CurrencyStub;
  contract: ContractStub;
  affix: AffixStub;
  seed: SeedStub;
  location: LocationStub;
  analytics: AnalyticsStub;
}

export function createStubServices(input: {
  prisma: PrismaClient;
  /**
   * The seed stub's own client (pool), when the service calls it inside its transactions
   * (proficiency grants at session completion): like a remote service, it then never waits
   * for a connection the caller's transactions hold. Defaults to `prisma`.
   */
  seedPrisma?: PrismaClient;
  log?: StubLogger;
  /** Defaults to a new one. */
  faults?: StubFaults;
  contract: ContractStubOptions;
}): StubServices {
  const faults = input.faults ?? new StubFaults();
  const deps = { prisma: input.prisma, faults, ...(input.log && { log: input.log }) };
  return {
    faults,
    gameService: new GameServiceStub(input.prisma),
    item: new ItemStub(deps),
    inventory: new InventoryStub(deps),
    currency: new CurrencyStub(deps),
    contract: new ContractStub(deps, input.contract),
    affix: new AffixStub(deps),
    seed: new SeedStub(input.seedPrisma ? { ...deps, prisma: input.seedPrisma } : deps),
    location: new LocationStub(deps),
    analytics: new AnalyticsStub(deps),
  };
}
