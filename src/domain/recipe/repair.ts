/**
 * Repair (seed 002): a recipe type that restores a target item's condition. An item's condition
 * is its `condition` metadata: `intact` (or absent), `damaged` or `broken`. A repair recipe says
 * which conditions it fixes and, optionally, which item grades it may work on (an item without a
 * `grade` counts as `Normal`); time and cost are the recipe's steps and inputs, so basic,
 * intermediate and advanced repair are three recipes.
 */

export interface RepairRule {
  /** Conditions it restores to intact. */
  fixes: readonly ('damaged' | 'broken')[];
  /** Item grades it works on (absent = any). */
  grades?: readonly string[] | null;
}

export type Condition = 'intact' | 'damaged' | 'broken';

export function conditionOf(metadata: Record<string, unknown> | null | undefined): Condition {
  const c = metadata?.condition;
  return c === 'damaged' || c === 'broken' ? c : 'intact';
}

/** Why this repair cannot work on an item (null: it can). */
export function repairRefusal(rule: RepairRule, metadata: Record<string, unknown> | null | undefined): string | null {
  const condition = conditionOf(metadata);
  if (condition === 'intact') return 'the item is not damaged';
  if (!rule.fixes.includes(condition)) return `this repair does not fix ${condition} items`;
  const grade = typeof metadata?.grade === 'string' ? metadata.grade : 'Normal';
  if (rule.grades && !rule.grades.includes(grade)) return `this repair does not work on ${grade} items (it takes ${rule.grades.join(', ')})`;
  return null;
}

/** The target's metadata after a repair: condition intact, who repaired it and when; the rest kept. */
export function repairedMetadata(metadata: Record<string, unknown> | null | undefined, repairedBy: string, at: Date): Record<string, unknown> {
  return { ...metadata, condition: 'intact', repairedBy, repairedAt: at.toISOString() };
}
