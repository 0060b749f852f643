import { scaledQuantity } from '../session/quantity.js';
import type { RulesetDefinition } from './ruleset.js';

/**
 * What the outputs of a ruleset recipe can carry, read from the ruleset (query/output-preview):
 * the outcome's bands with the quantities each yields, the attributes written, how rarity and
 * traits come from the materials, the variants the outputs may become, and whether a failure can
 * break the target. Values that depend on a session (scores, materials) are what the estimate
 * answers; this is the shape, known before any material is chosen.
 */
export interface RulesOutputPreview {
  ruleset: { code: string; version: number };
  mode: 'bands' | 'allOrNothing';
  /** Bands mode: every band; all or nothing: `success` and `failure`. */
  bands: {
    name: string;
    /** The score from which the band applies (null: all or nothing). */
    minScore: number | null;
    success: boolean;
    grade: string | null;
    traits: string[];
    outputs: { itemTemplateCode: string; quantity: number }[];
  }[];
  /** Quantities are further multiplied by an expression of the session (outcome.outputMultiplier). */
  quantitiesScaled: boolean;
  /** Names of the numbers written on the outputs (outcome.attributes). */
  attributes: string[];
  /** Grade names by value (outcome.grades), lowest first. */
  grades: { min: number; name: string }[];
  rarity: { scale: string[]; mode: 'gradient' | 'capped' | 'value' } | null;
  tagTraits: { tag: string; levels: { min: number; trait: string }[] }[];
  inheritedTraits: { max: number; slots: string[] | null } | null;
  /** Templates an output may be made of instead of the recipe's, by output number. */
  variants: { output: number; itemTemplateCode: string }[];
  /** A failed attempt may destroy the target item (modification recipes). */
  mayBreakTarget: boolean;
}

export function rulesOutputPreview(
  def: RulesetDefinition,
  version: number,
  outputs: readonly { itemTemplateCode: string; quantity: number }[],
): RulesOutputPreview {
  const o = def.outcome;
  // The quantities a completion would make at each multiplier (the same rounding).
  const yields = (multiplier: number) => outputs.map((out) => ({ itemTemplateCode: out.itemTemplateCode, quantity: scaledQuantity(out.quantity, multiplier) }));
  const bands =
    o.mode === 'bands'
      ? (o.bands ?? []).map((b) => ({
          name: b.name,
          minScore: b.min,
          success: b.success,
          grade: b.grade ?? null,
          traits: b.traits ?? [],
          outputs: yields(b.success ? (b.outputMultiplier ?? 1) : 0),
        }))
      : [
          { name: 'success', minScore: null, success: true, grade: null, traits: [], outputs: yields(1) },
          { name: 'failure', minScore: null, success: false, grade: null, traits: [], outputs: yields(0) },
        ];
  const m = def.materials;
  return {
    ruleset: { code: def.code, version },
    mode: o.mode,
    bands,
    quantitiesScaled: o.outputMultiplier !== undefined,
    attributes: Object.keys(o.attributes ?? {}),
    grades: o.grades?.names ?? [],
    rarity: m?.rarity ? { scale: m.rarity.scale, mode: m.rarity.mode ?? 'gradient' } : null,
    tagTraits: m?.tagTraits ?? [],
    inheritedTraits: m?.inherit ? { max: m.inherit.max, slots: m.inherit.slots ?? null } : null,
    variants: (o.variants ?? []).map((v) => ({ output: v.output ?? 0, itemTemplateCode: v.itemTemplateCode })),
    // A literal false never breaks; any expression may.
    mayBreakTarget: o.breaksTarget !== undefined && o.breaksTarget !== false,
  };
}
