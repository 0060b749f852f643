import { q4 } from './quantity.js';

export interface MaterialNeed {
  itemTemplateCode: string;
  quantity: number;
  qualityMinimum?: number | null;
  consumeOnStep?: string | null;
}

export interface MaterialCandidate {
  instanceId: string;
  itemTemplateCode: string;
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
  itemTemplateCode: string;
  required: number;
  available: number;
  qualityMinimum: number | null;
}

export type Allocation = { ok: true; picks: MaterialPick[] } | { ok: false; shortfalls: Shortfall[] };

const UNKNOWN_QUALITY = 0.5;
const effective = (q: number | null) => q ?? UNKNOWN_QUALITY;

/**
 * Chooses which instances satisfy each input: highest quality first (then instance id,
 * so the choice is stable), skipping instances below the input's qualityMinimum, taking
 * part of a stack when the input needs less than it holds. One instance can serve several
 * inputs while quantity remains. Reports every shortfall, not just the first.
 */
export function allocateMaterials(needs: MaterialNeed[], candidates: MaterialCandidate[]): Allocation {
  const remaining = new Map(candidates.map((c) => [c.instanceId, c.quantity]));
  const ordered = [...candidates].sort(
    (a, b) => effective(b.quality) - effective(a.quality) || a.instanceId.localeCompare(b.instanceId),
  );
  const picks: MaterialPick[] = [];
  const shortfalls: Shortfall[] = [];
  needs.forEach((need, inputIndex) => {
    const minimum = need.qualityMinimum ?? null;
    const usable = ordered.filter(
      (c) => c.itemTemplateCode === need.itemTemplateCode && (minimum === null || effective(c.quality) >= minimum),
    );
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
    if (missing > 0) {
      shortfalls.push({
        itemTemplateCode: need.itemTemplateCode,
        required: q4(need.quantity),
        available: q4(need.quantity - missing),
        qualityMinimum: minimum,
      });
    }
    picks.push(...taken);
  });
  return shortfalls.length > 0 ? { ok: false, shortfalls } : { ok: true, picks };
}
