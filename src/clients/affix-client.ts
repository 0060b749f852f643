/** affix (soft dependency): modifier definitions and their application to items. */
export interface AffixInstance {
  definitionId: string;
  code: string;
  slotType: string;
  tier: number;
  valuePercentile: number;
}

export interface ItemAffixState {
  itemInstanceId: string;
  affixes: AffixInstance[];
  isIdentified: boolean;
  isCorrupted: boolean;
  isMirrored: boolean;
  isFractured: boolean;
}

export interface AffixClient {
  getItem(itemInstanceId: string): Promise<ItemAffixState | null>;
  generatePool(input: {
    gameServiceId: string;
    itemClass: string;
    itemLevel: number;
    slotType: string;
    /** Keyed by definition id (the real API), not by tag. */
    weightModifiers?: Record<string, number>;
  }): Promise<{ definitionId: string; code: string; tags: string[]; tier: number; weight: number }[]>;
  apply(
    input: { itemInstanceId: string; definitionId: string; valuePercentileTarget?: number },
    idempotencyKey: string,
  ): Promise<ItemAffixState>;
  remove(input: { itemInstanceId: string; definitionId: string }, idempotencyKey: string): Promise<ItemAffixState>;
  rerollValues(
    input: { itemInstanceId: string; valuePercentileTarget?: number },
    idempotencyKey: string,
  ): Promise<ItemAffixState>;
  setState(
    input: { itemInstanceId: string; isCorrupted?: boolean; isMirrored?: boolean; isFractured?: boolean; isIdentified?: boolean },
    idempotencyKey: string,
  ): Promise<ItemAffixState>;
}
