import type { AffixClient } from '../../clients/affix-client.js';
import type { ItemClient, ItemInstance } from '../../clients/item-client.js';
import { operationProblems } from '../../domain/affix/operation-check.js';
import { checkTargetRequirements } from '../../domain/affix/target-requirements.js';
import { CraftError } from '../../domain/errors.js';
import { repairRefusal, type RepairRule } from '../../domain/recipe/repair.js';
import type { RecipeInfo } from '../recipes/recipe-model.js';

/** Recipe types that work on an existing item: it is escrowed for the session (locked). */
export const TARGETED_TYPES = new Set(['modification', 'extraction', 'repair']);

export interface TargetItem {
  instanceId: string;
  templateId: string;
  itemTemplateCode: string;
  itemClass: string;
  itemLevel: number;
}

/**
 * Validates the item a modification or extraction works on: it must be in the crafter's
 * inventory and meet the recipe's target requirements (class, level, states, free slot).
 * Item class is the template's itemClass (its category when unset); item level is the
 * instance's `instanceMetadata.itemLevel`, else the template's, else 0.
 */
export async function chooseTarget(
  recipe: RecipeInfo,
  contents: ItemInstance[],
  targetItemId: string | null,
  d: { item: ItemClient; affix: AffixClient | null },
): Promise<TargetItem | null> {
  if (!TARGETED_TYPES.has(recipe.recipeType)) return null;
  if (!targetItemId) throw new CraftError('TARGET_ITEM_REQUIRED', `${recipe.recipeType} recipes work on an item: give targetItemId`);
  const instance = contents.find((i) => i.instanceId === targetItemId);
  if (!instance) throw new CraftError('TARGET_ITEM_INVALID', 'the target item is not in the inventory', { targetItemId });
  const template = await d.item.getTemplate({ templateId: instance.templateId, gameId: recipe.gameServiceId });
  const meta = instance.instanceMetadata ?? {};
  const itemClass = template?.itemClass ?? template?.category ?? '';
  const itemLevel = typeof meta.itemLevel === 'number' ? meta.itemLevel : (template?.itemLevel ?? 0);
  const state = d.affix ? await d.affix.getItem(targetItemId) : null;
  const problems = checkTargetRequirements(recipe.targetRequirements ?? {}, {
    itemClass,
    itemLevel,
    isIdentified: state?.isIdentified ?? true,
    isCorrupted: state?.isCorrupted ?? false,
    isMirrored: state?.isMirrored ?? false,
    isFractured: state?.isFractured ?? false,
    freeSlots: state?.freeSlots ?? {},
  });
  if (recipe.recipeType === 'repair' && recipe.repair) {
    const refusal = repairRefusal(recipe.repair as RepairRule, meta);
    if (refusal) problems.push({ field: 'condition', message: refusal });
  }
  if (recipe.recipeType === 'modification' && state && recipe.affixOperation) {
    // Refuse now what the affix operation would refuse at completion (e.g. fracture a fractured item).
    problems.push(...operationProblems(recipe.affixOperation, recipe.affixOperationConfig ?? {}, state).map((p) => ({ field: p.kind, message: p.message })));
  }
  if (problems.length > 0) {
    throw new CraftError('TARGET_ITEM_INVALID', `the target item does not qualify: ${problems.map((p) => p.message).join('; ')}`, {
      problems,
    });
  }
  return { instanceId: instance.instanceId, templateId: instance.templateId, itemTemplateCode: instance.templateCode, itemClass, itemLevel };
}
