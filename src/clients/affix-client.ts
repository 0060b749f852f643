/**
 * affix (soft dependency): modifier definitions and their application to items
 * (`/affix/apply`, `/affix/remove`, `/affix/reroll-values`, `/affix/state/set`,
 * `/affix/generate/pool`, `/affix/item/get`).
 *
 * Tiers: 1 is the best tier, higher numbers are weaker (the PoE convention).
 * Slots: `prefix` and `suffix` are limited per item (`maxPrefixes` / `maxSuffixes`, default 3);
 * any other slot type is an opaque string without a limit.
 * Errors: `not_found` (unknown definition), `conflict` (slot full, item corrupted or mirrored,
 * affix already present / absent / fractured), `invalid` (bad input), `unavailable`.
 */

export interface AffixDefinition {
  definitionId: string;
  gameServiceId: string;
  /** Unique within the game service. */
  code: string;
  tags: string[];
  slotType: string;
  /** >= 1; 1 = best. */
  tier: number;
  /** Spawn weight (>= 0); 0 = never rolled at random. */
  weight: number;
  valueMin: number;
  valueMax: number;
  /** Null = every item class. */
  validItemClasses: string[] | null;
  minItemLevel: number;
  /** ISO 8601. */
  createdAt: string;
}

export interface AffixInstance {
  definitionId: string;
  code: string;
  tags: string[];
  slotType: string;
  tier: number;
  /** valueMin + valuePercentile x (valueMax - valueMin), 4 decimal places. */
  value: number;
  /** 0-1: where the value lies in the definition's range. */
  valuePercentile: number;
  /** A fractured affix can be neither removed nor rerolled. */
  isFractured: boolean;
}

export interface ItemAffixState {
  itemInstanceId: string;
  /** In application order. */
  affixes: AffixInstance[];
  isIdentified: boolean;
  isCorrupted: boolean;
  isMirrored: boolean;
  isFractured: boolean;
  maxPrefixes: number;
  maxSuffixes: number;
  /**
   * Free slots per limited slot type (`prefix`, `suffix`): the limit minus the affixes of
   * that slot type, never below 0. A slot type absent from it is unlimited.
   */
  freeSlots: Record<string, number>;
}

/** An eligible definition of a generated pool, with its (modified) weight. */
export interface AffixPoolEntry {
  definitionId: string;
  code: string;
  tags: string[];
  slotType: string;
  tier: number;
  /** Base weight x the definition's modifier; always > 0 (entries weighted 0 are left out). */
  weight: number;
}

export interface AffixStateFlags {
  isIdentified?: boolean;
  isCorrupted?: boolean;
  isMirrored?: boolean;
  isFractured?: boolean;
}

export interface AffixClient {
  /** An item the affix service has never seen is identified, uncorrupted, with 3+3 slots and no affixes. */
  getItem(itemInstanceId: string): Promise<ItemAffixState>;
  /** By id, or by code within a game service. Null when unknown. */
  getDefinition(query: { definitionId: string } | { gameServiceId: string; code: string }): Promise<AffixDefinition | null>;
  /**
   * The definitions of a game service that can roll on an item of this class and level in
   * this slot type (validItemClasses null or containing itemClass, minItemLevel <= itemLevel,
   * weight > 0), sorted by code. Item-agnostic: definitions already on an item are not
   * excluded (the caller filters).
   */
  generatePool(input: {
    gameServiceId: string;
    itemClass: string;
    itemLevel: number;
    slotType: string;
    /** Keyed by definition id (the real API), not by tag; a factor of 0 excludes the definition. */
    weightModifiers?: Record<string, number>;
  }): Promise<AffixPoolEntry[]>;
  /**
   * Adds an affix with its value at `valuePercentileTarget` (0-1; absent = a random
   * percentile). `conflict` when the slot type is full, the item is corrupted or mirrored,
   * or the definition is already on the item; `not_found` for an unknown definition.
   */
  apply(
    input: { itemInstanceId: string; definitionId: string; valuePercentileTarget?: number },
    idempotencyKey: string,
  ): Promise<ItemAffixState>;
  /** `conflict` when the affix is not on the item, is fractured, or the item is corrupted or mirrored. */
  remove(input: { itemInstanceId: string; definitionId: string }, idempotencyKey: string): Promise<ItemAffixState>;
  /**
   * Rerolls the value of every non-fractured affix, to `valuePercentileTarget` (0-1) when
   * given, else to a random percentile each. `conflict` when the item is corrupted or mirrored.
   */
  rerollValues(
    input: { itemInstanceId: string; valuePercentileTarget?: number },
    idempotencyKey: string,
  ): Promise<ItemAffixState>;
  /**
   * Sets item state flags; `fractureDefinitionId` also marks that affix fractured (and the
   * item `isFractured`). A call that changes nothing always succeeds and returns the state:
   * with no flags it is a keyed snapshot, replayed identically for its key (the modification
   * executor relies on this). Changing a flag of a mirrored item, or of a corrupted item
   * other than identifying it, is `conflict`; fracturing an affix not on the item is `conflict`.
   */
  setState(
    input: { itemInstanceId: string; fractureDefinitionId?: string } & AffixStateFlags,
    idempotencyKey: string,
  ): Promise<ItemAffixState>;

  /**
   * Admin / standalone dev endpoints: creates a definition. `conflict` when the code is
   * taken in the game service; `invalid` for bad values (tier < 1, weight < 0,
   * valueMax < valueMin, ...).
   */
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
  }): Promise<AffixDefinition>;
  /**
   * Admin / standalone dev endpoints: sets any flags and slot limits, without the rules of
   * setState. `invalid` when a limit is below the affixes of that slot type already on the item.
   */
  setItemState(
    input: { itemInstanceId: string; maxPrefixes?: number; maxSuffixes?: number } & AffixStateFlags,
    idempotencyKey: string,
  ): Promise<ItemAffixState>;
}
