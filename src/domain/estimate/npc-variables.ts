import { outputQuality } from '../quality/quality.js';

/**
 * The `${craft.*}` variables NPC planners read (query/npc-variables): parsing of the names
 * and the value rule of `best_recipe`. Evaluation lives in the query service.
 */
export type NpcVariable =
  | { kind: 'can_craft'; recipeCode: string }
  | { kind: 'materials_for'; recipeCode: string }
  | { kind: 'proficiency'; domain: string }
  | { kind: 'station_nearby'; stationType: string }
  | { kind: 'best_recipe' }
  | { kind: 'queue_depth' }
  | { kind: 'last_craft_quality' };

export type ParsedVariable = { ok: true; variable: NpcVariable } | { ok: false; message: string };

const WITH_ARGUMENT = ['can_craft', 'materials_for', 'proficiency', 'station_nearby'] as const;
const PLAIN = ['best_recipe', 'queue_depth', 'last_craft_quality'] as const;

/**
 * `can_craft.<recipeCode>`, `materials_for.<recipeCode>`, `proficiency.<domain>`,
 * `station_nearby.<stationType>`, `best_recipe`, `queue_depth`, `last_craft_quality`; a
 * leading `craft.` (as written in ABML, `${craft.queue_depth}`) is accepted too. The
 * argument is everything after the first dot (codes may contain dots).
 */
export function parseVariable(raw: string): ParsedVariable {
  const name = raw.startsWith('craft.') ? raw.slice('craft.'.length) : raw;
  const dot = name.indexOf('.');
  const head = dot < 0 ? name : name.slice(0, dot);
  const arg = dot < 0 ? null : name.slice(dot + 1);
  if ((PLAIN as readonly string[]).includes(head)) {
    if (arg !== null) return { ok: false, message: `"${head}" takes no argument` };
    return { ok: true, variable: { kind: head as (typeof PLAIN)[number] } };
  }
  if ((WITH_ARGUMENT as readonly string[]).includes(head)) {
    if (!arg) return { ok: false, message: `"${head}" needs an argument: ${head}.<${head === 'proficiency' ? 'domain' : head === 'station_nearby' ? 'stationType' : 'recipeCode'}>` };
    switch (head as (typeof WITH_ARGUMENT)[number]) {
      case 'can_craft':
        return { ok: true, variable: { kind: 'can_craft', recipeCode: arg } };
      case 'materials_for':
        return { ok: true, variable: { kind: 'materials_for', recipeCode: arg } };
      case 'proficiency':
        return { ok: true, variable: { kind: 'proficiency', domain: arg } };
      case 'station_nearby':
        return { ok: true, variable: { kind: 'station_nearby', stationType: arg } };
    }
  }
  return {
    ok: false,
    message: `unknown variable "${raw}"; known: can_craft.<recipeCode>, materials_for.<recipeCode>, proficiency.<domain>, station_nearby.<stationType>, best_recipe, queue_depth, last_craft_quality`,
  };
}

/**
 * Value of crafting a production recipe once, for `best_recipe`: the sum over its outputs
 * of quantity x the quality that output would get (`outputQuality(expected quality,
 * qualityInfluence)`), where the expected quality is the formula's with the entity's
 * current factors and its skill checks at their expected bonus. More, better items are
 * worth more; without market prices this is the service's neutral notion of value.
 */
export function recipeValue(
  outputs: readonly { quantity: number; qualityInfluence: number }[],
  expectedQuality: number,
): number {
  return outputs.reduce((sum, o) => sum + o.quantity * outputQuality(expectedQuality, o.qualityInfluence), 0);
}

/** Highest value first, then recipe code ascending (ties are rare but must be stable). */
export function pickBest<T extends { code: string; value: number }>(candidates: readonly T[]): T | null {
  let best: T | null = null;
  for (const c of candidates) {
    if (!best || c.value > best.value || (c.value === best.value && c.code < best.code)) best = c;
  }
  return best;
}
