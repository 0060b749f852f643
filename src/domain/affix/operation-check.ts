/**
 * Whether a recipe's affix operation can act on an item in its current affix state. Pure:
 * the session start can ask it (to refuse early, nothing reserved) and the modification
 * executor asks it on its snapshot before its first effect, so an operation that cannot
 * run fails before it changes anything.
 */

export const AFFIX_OPERATIONS = [
  'apply_random',
  'remove_random',
  'reroll_all',
  'reroll_values',
  'corrupt',
  'fracture',
  'apply_specific',
] as const;

export type AffixOperation = (typeof AFFIX_OPERATIONS)[number];

export interface AffixOperationConfigInput {
  /** Keyed by affix tag; a missing tag counts 1, 0 excludes. */
  weightModifiers?: Readonly<Record<string, number>> | null;
  /** Null = the item's limited slot types (prefix, suffix) that have a free slot. */
  slotType?: string | null;
  /** Required by apply_specific. */
  guaranteedAffixCode?: string | null;
}

export interface AffixStateFacts {
  isCorrupted: boolean;
  isMirrored: boolean;
  isFractured: boolean;
  affixes: readonly { isFractured: boolean }[];
  /** Free slots per limited slot type; absent = unlimited. */
  freeSlots: Readonly<Record<string, number>>;
}

export function isAffixOperation(op: string): op is AffixOperation {
  return (AFFIX_OPERATIONS as readonly string[]).includes(op);
}

/** Slot types to roll in when the recipe names none: the limited ones with a free slot, sorted. */
export function openSlotTypes(state: Pick<AffixStateFacts, 'freeSlots'>): string[] {
  return Object.entries(state.freeSlots)
    .filter(([, free]) => free > 0)
    .map(([slot]) => slot)
    .sort();
}

/** A reason the operation cannot run: a fault of the recipe, or of the item's current state. */
export interface OperationProblem {
  kind: 'recipe' | 'item';
  message: string;
}

/** Why the operation cannot run on this item (empty = it can). */
export function operationProblems(operation: string, config: AffixOperationConfigInput, state: AffixStateFacts): OperationProblem[] {
  const recipe = (message: string): OperationProblem[] => [{ kind: 'recipe', message }];
  const item = (message: string): OperationProblem[] => [{ kind: 'item', message }];
  if (!isAffixOperation(operation)) return recipe(`unknown affix operation "${operation}"`);
  if (operation === 'apply_specific' && !config.guaranteedAffixCode) return recipe('apply_specific needs guaranteedAffixCode');
  if (state.isMirrored) return item('a mirrored item cannot be modified');
  if (state.isCorrupted) return item('a corrupted item cannot be modified');
  const removable = state.affixes.filter((a) => !a.isFractured).length;
  switch (operation) {
    case 'apply_random': {
      const slot = config.slotType ?? null;
      if (slot !== null) {
        const free = state.freeSlots[slot];
        return free !== undefined && !(free > 0) ? item(`the item has no free ${slot} slot`) : [];
      }
      return openSlotTypes(state).length === 0 ? item('the item has no free affix slot') : [];
    }
    case 'remove_random':
    case 'reroll_values':
      return removable === 0 ? item('the item has no affix that is not fractured') : [];
    case 'fracture':
      if (state.isFractured) return item('the item is already fractured');
      return removable === 0 ? item('the item has no affix to fracture') : [];
    case 'apply_specific':
    case 'reroll_all':
    case 'corrupt':
      return [];
  }
}
