import { q4 } from './quantity.js';
import { describeSlot, fitsSlot, isExactInput, slotName, type MaterialKind, type SlotInput } from './slots.js';

/** A recipe input (a slot): see slots.ts. */
export interface MaterialNeed extends SlotInput {
  consumeOnStep?: string | null;
}

export interface MaterialCandidate extends MaterialKind {
  instanceId: string;
  quantity: number;
  /** From the instance's metadata; unknown counts as 0.5, as in the quality formula. */
  quality: number | null;
}

export interface MaterialPick {
  inputIndex: number;
  instanceId: string;
  itemTemplateCode: string;
  quantity: number;
  quality: number | null;
  consumeOnStep: string | null;
}

export interface Shortfall {
  /** The exact template the slot takes, else what it takes in words (`category metal`, `tags metal+t1`...). */
  itemTemplateCode: string;
  /** The slot, when the recipe names it or takes it by category, tags or tier. */
  slot?: string;
  required: number;
  available: number;
  qualityMinimum: number | null;
}

export type Allocation = { ok: true; picks: MaterialPick[] } | { ok: false; shortfalls: Shortfall[] };

/** Instances the crafter named for a slot (by input index): that slot takes only these. */
export type NamedBySlot = ReadonlyMap<number, ReadonlySet<string>>;

const UNKNOWN_QUALITY = 0.5;
const effective = (q: number | null) => q ?? UNKNOWN_QUALITY;

/**
 * Chooses which instances satisfy each input: highest quality first (then instance id,
 * so the choice is stable), among those that fit the slot (slots.ts), skipping instances
 * below the input's qualityMinimum, taking part of a stack when the input needs less than it
 * holds. One instance can serve several inputs while quantity remains. Required inputs go
 * first, in order; an optional input (overload) takes only instances named for it, up to its
 * quantity. Reports every shortfall of a required input, not just the first.
 */
export function allocateMaterials(needs: MaterialNeed[], candidates: MaterialCandidate[], named: NamedBySlot = new Map()): Allocation {
  const remaining = new Map(candidates.map((c) => [c.instanceId, c.quantity]));
  const ordered = [...candidates].sort(
    (a, b) => effective(b.quality) - effective(a.quality) || a.instanceId.localeCompare(b.instanceId),
  );
  const picks: MaterialPick[] = [];
  const shortfalls: Shortfall[] = [];
  const order = needs.map((need, inputIndex) => ({ need, inputIndex })).sort((a, b) => Number(!!a.need.optional) - Number(!!b.need.optional) || a.inputIndex - b.inputIndex);
  for (const { need, inputIndex } of order) {
    const minimum = need.qualityMinimum ?? null;
    const names = named.get(inputIndex);
    if (need.optional && !names) continue;
    const usable = ordered.filter((c) => (!names || names.has(c.instanceId)) && fitsSlot(need, c) && (minimum === null || effective(c.quality) >= minimum));
    let missing = q4(need.quantity);
    const taken: MaterialPick[] = [];
    for (const c of usable) {
      if (missing <= 0) break;
      const left = remaining.get(c.instanceId) ?? 0;
      if (left <= 0) continue;
      const take = q4(Math.min(left, missing));
      taken.push({
        inputIndex,
        instanceId: c.instanceId,
        itemTemplateCode: c.itemTemplateCode,
        quantity: take,
        quality: c.quality,
        consumeOnStep: need.consumeOnStep ?? null,
      });
      remaining.set(c.instanceId, q4(left - take));
      missing = q4(missing - take);
    }
    if (missing > 0 && !need.optional) {
      shortfalls.push({
        itemTemplateCode: isExactInput(need) ? need.itemTemplateCode! : describeSlot(need),
        ...((need.slot || !isExactInput(need)) && { slot: slotName(need, inputIndex) }),
        required: q4(need.quantity),
        available: q4(need.quantity - missing),
        qualityMinimum: minimum,
      });
    }
    picks.push(...taken);
  }
  picks.sort((a, b) => a.inputIndex - b.inputIndex);
  return shortfalls.length > 0 ? { ok: false, shortfalls } : { ok: true, picks };
}
