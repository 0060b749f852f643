import type { AffixClient, AffixDefinition, AffixPoolEntry, AffixStateFlags, ItemAffixState } from '../affix-client.js';
import type { HttpTransport } from './transport.js';
import { WIRE } from './wire.js';

const P = WIRE.affix;
const safe = { retryable: true };

/** The affix service over HTTP (a soft dependency: modification recipes). */
export class AffixHttpClient implements AffixClient {
  constructor(private readonly t: HttpTransport) {}

  getItem(itemInstanceId: string) {
    return this.t.call<ItemAffixState>(P.getItem, { itemInstanceId }, safe);
  }

  getDefinition(query: { definitionId: string } | { gameServiceId: string; code: string }) {
    return this.t.call<AffixDefinition | null>(P.getDefinition, query, { retryable: true, nullOn404: true });
  }

  async generatePool(input: { gameServiceId: string; itemClass: string; itemLevel: number; slotType: string; weightModifiers?: Record<string, number> }) {
    return (await this.t.call<{ entries: AffixPoolEntry[] }>(P.generatePool, input, safe)).entries;
  }

  apply(input: { itemInstanceId: string; definitionId: string; valuePercentileTarget?: number }, idempotencyKey: string) {
    return this.t.call<ItemAffixState>(P.apply, { ...input, idempotencyKey }, safe);
  }

  remove(input: { itemInstanceId: string; definitionId: string }, idempotencyKey: string) {
    return this.t.call<ItemAffixState>(P.remove, { ...input, idempotencyKey }, safe);
  }

  rerollValues(input: { itemInstanceId: string; valuePercentileTarget?: number }, idempotencyKey: string) {
    return this.t.call<ItemAffixState>(P.rerollValues, { ...input, idempotencyKey }, safe);
  }

  setState(input: { itemInstanceId: string; fractureDefinitionId?: string } & AffixStateFlags, idempotencyKey: string) {
    return this.t.call<ItemAffixState>(P.setState, { ...input, idempotencyKey }, safe);
  }

  createDefinition(input: {
    gameServiceId: string;
    code: string;
    slotType: string;
    tier: number;
    weight: number;
    valueMin: number;
    valueMax: number;
    tags?: string[];
    validItemClasses?: string[] | null;
    minItemLevel?: number;
  }) {
    return this.t.call<AffixDefinition>(P.createDefinition, input, { retryable: false });
  }

  setItemState(input: { itemInstanceId: string; maxPrefixes?: number; maxSuffixes?: number } & AffixStateFlags, idempotencyKey: string) {
    return this.t.call<ItemAffixState>(P.setItemState, { ...input, idempotencyKey }, safe);
  }
}
