import type { ItemInstance, ItemTemplate } from '../../clients/item-client.js';
import { CraftError } from '../../domain/errors.js';
import { allocateMaterials, type MaterialCandidate, type Shortfall } from '../../domain/session/allocate-materials.js';
import { instanceQuality } from '../../domain/quality/quality.js';
import { materialLot, type MaterialLot } from '../../domain/rules/materials.js';
import { describeSlot, fitsSlot, isExactInput, materialKind, slotName } from '../../domain/session/slots.js';
import type { RecipeInfo } from '../recipes/recipe-model.js';
import type { ReservedMaterial } from './session-model.js';

/** What the crafter named: instances for the whole recipe, and instances per slot. */
export interface MaterialNames {
  materialItemIds?: readonly string[] | null;
  materialsBySlot?: Readonly<Record<string, readonly string[]>> | null;
}

/** Whether matching the recipe's inputs needs the templates (categories, tags, tiers), not only codes. */
export function needsTemplates(recipe: Pick<RecipeInfo, 'inputs'>): boolean {
  return (recipe.inputs ?? []).some((i) => !isExactInput(i));
}

/** An instance as a material candidate (domain/session/slots.ts materialKind). */
export function materialCandidate(i: ItemInstance, t: ItemTemplate | undefined): MaterialCandidate {
  return { ...materialKind(i.templateCode, i.instanceMetadata, t), instanceId: i.instanceId, quantity: i.quantity, quality: instanceQuality(i.instanceMetadata) };
}

/**
 * The materials a start takes from `contents`: named ones must be there (else
 * MATERIAL_NOT_IN_INVENTORY), a slot's named ones must fit it (else MATERIAL_DOES_NOT_FIT) and
 * the slot must exist (else VALIDATION_FAILED); then allocateMaterials decides. `templates` is
 * needed when the recipe takes inputs by category, tags or tier (needsTemplates).
 */
export function allocateFor(
  recipe: RecipeInfo,
  contents: readonly ItemInstance[],
  templates: ReadonlyMap<string, ItemTemplate> | null,
  names: MaterialNames,
): { ok: true; materials: ReservedMaterial[] } | { ok: false; shortfalls: Shortfall[] } {
  const inputs = recipe.inputs ?? [];
  const byId = new Map(contents.map((i) => [i.instanceId, i]));
  const bySlot = names.materialsBySlot ?? {};
  const namedIds = [...(names.materialItemIds ?? []), ...Object.values(bySlot).flat()];
  const missing = [...new Set(namedIds.filter((id) => !byId.has(id)))];
  if (missing.length > 0) throw new CraftError('MATERIAL_NOT_IN_INVENTORY', 'some named materials are not in the inventory', { missing });

  const candidate = (i: ItemInstance) => materialCandidate(i, templates?.get(i.templateId));
  const named = namedBySlot(recipe, bySlot, (id) => candidate(byId.get(id)!));
  const pool = names.materialItemIds ? [...new Set([...names.materialItemIds, ...Object.values(bySlot).flat()])].map((id) => byId.get(id)!) : contents;
  const allocation = allocateMaterials([...inputs], pool.map(candidate), named);
  if (!allocation.ok) return allocation;
  return {
    ok: true,
    materials: allocation.picks.map((p) => ({
      inputIndex: p.inputIndex,
      sourceInstanceId: p.instanceId,
      instanceId: null,
      templateId: byId.get(p.instanceId)!.templateId,
      itemTemplateCode: p.itemTemplateCode,
      quantity: p.quantity,
      quality: p.quality,
      consumeOnStep: p.consumeOnStep,
      consumed: false,
    })),
  };
}

/**
 * The instances named per slot, by input index: VALIDATION_FAILED for a slot the recipe does
 * not have, MATERIAL_DOES_NOT_FIT for an instance its slot does not take.
 */
export function namedBySlot(
  recipe: Pick<RecipeInfo, 'inputs'>,
  bySlot: Readonly<Record<string, readonly string[]>>,
  candidate: (instanceId: string) => MaterialCandidate,
): Map<number, Set<string>> {
  const inputs = recipe.inputs ?? [];
  const slotIndex = new Map(inputs.map((input, i) => [slotName(input, i), i]));
  const named = new Map<number, Set<string>>();
  for (const [slot, ids] of Object.entries(bySlot)) {
    const index = slotIndex.get(slot);
    if (index === undefined) throw new CraftError('VALIDATION_FAILED', `the recipe has no slot "${slot}"`, { slot, slots: [...slotIndex.keys()] });
    const input = inputs[index]!;
    for (const id of ids) {
      if (!fitsSlot(input, candidate(id))) {
        throw new CraftError('MATERIAL_DOES_NOT_FIT', `the item does not fit slot "${slot}" (it takes ${describeSlot(input)})`, { slot, instanceId: id });
      }
    }
    named.set(index, new Set(ids));
  }
  return named;
}

/**
 * The materials taken, as a ruleset reads them (MaterialLot): the slot, the template's tags,
 * tier and stats, and the instance's own rarity, traits, stats (overriding the template's stat
 * by stat) and tier (overriding the template's).
 */
export function materialLots(
  recipe: Pick<RecipeInfo, 'inputs'>,
  picks: readonly { inputIndex: number; instanceId: string; itemTemplateCode: string; quantity: number; quality: number | null }[],
  instances: ReadonlyMap<string, ItemInstance>,
  templates: ReadonlyMap<string, ItemTemplate>,
): MaterialLot[] {
  const inputs = recipe.inputs ?? [];
  return picks.map((p) => {
    const instance = instances.get(p.instanceId);
    const template = instance ? templates.get(instance.templateId) : undefined;
    const kind = materialKind(p.itemTemplateCode, instance?.instanceMetadata, template);
    return materialLot(slotName(inputs[p.inputIndex] ?? {}, p.inputIndex), p, kind, instance?.instanceMetadata, template?.stats);
  });
}
