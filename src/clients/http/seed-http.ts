import type { SeedClient, SeedInfo, SeedPhase, SeedPhaseInfo, SeedType } from '../seed-client.js';
import type { HttpTransport } from './transport.js';
import { WIRE } from './wire.js';

const P = WIRE.seed;
const safe = { retryable: true };

/** The seed service over HTTP (proficiency as growth). */
export class SeedHttpClient implements SeedClient {
  constructor(private readonly t: HttpTransport) {}

  /** An upsert: the same registration twice changes nothing, so it is safe to repeat. */
  registerType(input: { gameServiceId: string; code: string; phases: SeedPhase[] }) {
    return this.t.call<SeedType>(P.registerType, input, safe);
  }

  create(input: { ownerId: string; ownerType: string; gameServiceId: string; seedTypeCode: string }, idempotencyKey: string) {
    return this.t.call<SeedInfo>(P.create, { ...input, idempotencyKey }, safe);
  }

  async getByOwner(input: { ownerId: string; ownerType: string; seedTypeCode?: string; gameServiceId?: string }) {
    return (await this.t.call<{ seeds: SeedInfo[] }>(P.getByOwner, input, safe)).seeds;
  }

  recordGrowth(input: { seedId: string; domain: string; amount: number; source: string }, idempotencyKey: string) {
    return this.t.call<SeedInfo & { previousPhase: string }>(P.recordGrowth, { ...input, idempotencyKey }, safe);
  }

  getPhase(seedId: string) {
    return this.t.call<SeedPhaseInfo>(P.getPhase, { seedId }, safe);
  }
}
