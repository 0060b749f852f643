/**
 * Whether an item qualifies as the target of a modification (or extraction) recipe: the
 * recipe's `targetRequirements` against what the item and affix services say about it.
 * Pure; the session start validates with it, and nothing is reserved when it finds problems.
 */

export type ItemStateField = 'IsIdentified' | 'IsCorrupted' | 'IsMirrored' | 'IsFractured';

export interface TargetRequirementsInput {
  /** Null or empty = any class. */
  validItemClasses?: readonly string[] | null;
  /** Null = no minimum. */
  minimumItemLevel?: number | null;
  requiredItemStates?: readonly { field: ItemStateField; expected: boolean }[] | null;
  /** A slot of this type must be free; null = no requirement. */
  requiredAffixSlotType?: string | null;
}

export interface TargetItemFacts {
  itemClass: string;
  itemLevel: number;
  isIdentified: boolean;
  isCorrupted: boolean;
  isMirrored: boolean;
  isFractured: boolean;
  /**
   * Free slots per limited slot type (the affix service's `freeSlots`). A slot type absent
   * from it is unlimited (only `prefix` and `suffix` are limited by the affix service).
   */
  freeSlots: Readonly<Record<string, number>>;
}

export interface TargetProblem {
  /** The requirement that failed: `validItemClasses`, `minimumItemLevel`, `requiredItemStates.<Field>`, `requiredAffixSlotType`. */
  field: string;
  message: string;
}

const STATE_OF: Record<ItemStateField, { key: keyof TargetItemFacts; words: [string, string] }> = {
  IsIdentified: { key: 'isIdentified', words: ['identified', 'unidentified'] },
  IsCorrupted: { key: 'isCorrupted', words: ['corrupted', 'not corrupted'] },
  IsMirrored: { key: 'isMirrored', words: ['mirrored', 'not mirrored'] },
  IsFractured: { key: 'isFractured', words: ['fractured', 'not fractured'] },
};

/** Every requirement the item fails, in requirement order; empty = the item qualifies. */
export function checkTargetRequirements(req: TargetRequirementsInput, item: TargetItemFacts): TargetProblem[] {
  const problems: TargetProblem[] = [];

  const classes = req.validItemClasses ?? [];
  if (classes.length > 0 && !classes.includes(item.itemClass)) {
    problems.push({
      field: 'validItemClasses',
      message: `item class "${item.itemClass}" is not one of ${classes.map((c) => `"${c}"`).join(', ')}`,
    });
  }

  if (req.minimumItemLevel != null && item.itemLevel < req.minimumItemLevel) {
    problems.push({
      field: 'minimumItemLevel',
      message: `item level ${item.itemLevel} is below the required ${req.minimumItemLevel}`,
    });
  }

  for (const state of req.requiredItemStates ?? []) {
    const spec = STATE_OF[state.field];
    if (!spec) {
      problems.push({ field: `requiredItemStates.${String(state.field)}`, message: `unknown item state "${String(state.field)}"` });
      continue;
    }
    const actual = item[spec.key] as boolean;
    if (actual !== state.expected) {
      const [yes, no] = spec.words;
      problems.push({
        field: `requiredItemStates.${state.field}`,
        message: `the item must be ${state.expected ? yes : no}, but it is ${actual ? yes : no}`,
      });
    }
  }

  const slot = req.requiredAffixSlotType;
  if (slot != null && slot !== '') {
    const free = item.freeSlots[slot];
    if (free !== undefined && !(free > 0)) {
      problems.push({ field: 'requiredAffixSlotType', message: `the item has no free ${slot} slot` });
    }
  }
  return problems;
}
