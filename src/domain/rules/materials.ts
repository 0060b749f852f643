/**
 * Materials as a ruleset reads them (`materials.*` in expressions) and what they give the
 * outputs (the ruleset's `materials` section): counts of tagged material, stats, rarity,
 * traits, per slot and in all, and the provenance written on the outputs. Pure.
 */

/** One material a session took: a pick of a slot, with what its template and instance say. */
export interface MaterialLot {
  slot: string;
  itemTemplateCode: string;
  quantity: number;
  /** 0..1; null = unknown (counts 0.5). */
  quality: number | null;
  tier: number | null;
  tags: readonly string[];
  /** The instance's `rarity` metadata (a name of the ruleset's scale); null = none. */
  rarity: string | null;
  /** The instance's `traits` metadata. */
  traits: readonly string[];
  /** The template's stats, overridden stat by stat by the instance's `stats` metadata. */
  stats: Readonly<Record<string, number>>;
}

const strings = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);
const numbers = (v: unknown): Record<string, number> =>
  v && typeof v === 'object' && !Array.isArray(v)
    ? Object.fromEntries(Object.entries(v as Record<string, unknown>).filter((e): e is [string, number] => typeof e[1] === 'number' && Number.isFinite(e[1])))
    : {};

/**
 * A material taken for a slot, as a ruleset reads it: its kind (slots.ts materialKind), the
 * instance's `rarity` and `traits` metadata, and its stats, the template's overridden stat by
 * stat by the instance's `stats` metadata.
 */
export function materialLot(
  slot: string,
  pick: { itemTemplateCode: string; quantity: number; quality: number | null },
  kind: { tier?: number | null; tags?: readonly string[] | null },
  metadata: Record<string, unknown> | null | undefined,
  templateStats: Readonly<Record<string, number>> | null | undefined,
): MaterialLot {
  return {
    slot,
    itemTemplateCode: pick.itemTemplateCode,
    quantity: pick.quantity,
    quality: pick.quality,
    tier: kind.tier ?? null,
    tags: kind.tags ?? [],
    rarity: typeof metadata?.rarity === 'string' ? metadata.rarity : null,
    traits: strings(metadata?.traits),
    stats: { ...(templateStats ?? {}), ...numbers(metadata?.stats) },
  };
}

export interface MaterialSummary {
  /** Quantity-weighted mean quality (unknown = 0.5; none = 0.5). */
  quality: number;
  /** Total quantity. */
  count: number;
  /** Highest tier (none = 0). */
  tier: number;
  /** Units carrying each tag. */
  tags: Record<string, number>;
  /** Units carrying each trait. */
  traits: Record<string, number>;
  /** Quantity-weighted mean of each stat (a material without the stat counts 0). */
  stats: Record<string, number>;
  /** Quantity-weighted sum of each stat. */
  totals: Record<string, number>;
  /** Highest rarity index on the ruleset's scale (none = 0). */
  rarity: number;
  /** Quantity-weighted mean rarity index. */
  rarityMean: number;
}

/** `materials` in a ruleset's expressions: the summary of all, and one per slot. */
export interface MaterialsContext extends MaterialSummary {
  slots: Record<string, MaterialSummary>;
}

export interface MaterialsDef {
  rarity?: { scale: string[]; mode?: 'gradient' | 'capped' | 'value'; pull?: number; value?: unknown };
  tagTraits?: { tag: string; levels: { min: number; trait: string }[] }[];
  inherit?: { max: number; slots?: string[] };
}

const round6 = (x: number) => Math.round(x * 1e6) / 1e6;

function summarize(lots: readonly MaterialLot[], scale: readonly string[]): MaterialSummary {
  const s: MaterialSummary = { quality: 0.5, count: 0, tier: 0, tags: {}, traits: {}, stats: {}, totals: {}, rarity: 0, rarityMean: 0 };
  let qualitySum = 0;
  let raritySum = 0;
  for (const lot of lots) {
    const q = lot.quantity;
    if (!(q > 0)) continue;
    s.count += q;
    qualitySum += (lot.quality ?? 0.5) * q;
    s.tier = Math.max(s.tier, lot.tier ?? 0);
    for (const t of new Set(lot.tags)) s.tags[t] = (s.tags[t] ?? 0) + q;
    for (const t of new Set(lot.traits)) s.traits[t] = (s.traits[t] ?? 0) + q;
    for (const [name, v] of Object.entries(lot.stats)) s.totals[name] = (s.totals[name] ?? 0) + v * q;
    const r = rarityIndex(lot.rarity, scale);
    s.rarity = Math.max(s.rarity, r);
    raritySum += r * q;
  }
  if (s.count > 0) {
    s.quality = round6(qualitySum / s.count);
    s.rarityMean = round6(raritySum / s.count);
    for (const name of Object.keys(s.totals)) {
      s.totals[name] = round6(s.totals[name]!);
      s.stats[name] = round6(s.totals[name]! / s.count);
    }
  }
  s.count = round6(s.count);
  for (const t of Object.keys(s.tags)) s.tags[t] = round6(s.tags[t]!);
  for (const t of Object.keys(s.traits)) s.traits[t] = round6(s.traits[t]!);
  return s;
}

/** A rarity name's index on the scale (unknown or none = 0). */
export function rarityIndex(name: string | null, scale: readonly string[]): number {
  const i = name === null ? -1 : scale.indexOf(name);
  return i < 0 ? 0 : i;
}

/** A context stored before slots existed (quality, count and tier only), completed with empty parts. */
export function completeContext(m: Pick<MaterialSummary, 'quality' | 'count' | 'tier'> & Partial<MaterialsContext>): MaterialsContext {
  return { tags: {}, traits: {}, stats: {}, totals: {}, rarity: 0, rarityMean: 0, slots: {}, ...m };
}

export function materialsContext(lots: readonly MaterialLot[], scale: readonly string[] = []): MaterialsContext {
  const bySlot = new Map<string, MaterialLot[]>();
  for (const lot of lots) bySlot.set(lot.slot, [...(bySlot.get(lot.slot) ?? []), lot]);
  const slots: Record<string, MaterialSummary> = {};
  for (const [slot, list] of bySlot) slots[slot] = summarize(list, scale);
  return { ...summarize(lots, scale), slots };
}

/**
 * The output's rarity index: the gradient toward the highest input; or `value` capped by the
 * highest input (`capped`); or `value` alone (`value`: refinement above the inputs, 4:1).
 * Always on the scale.
 */
export function outputRarity(def: NonNullable<MaterialsDef['rarity']>, m: Pick<MaterialSummary, 'rarity' | 'rarityMean'>, value: number | null): number {
  const gradient = Math.round(m.rarityMean + (m.rarity - m.rarityMean) * (def.pull ?? 0.5));
  const top = def.scale.length - 1;
  const mode = def.mode ?? 'gradient';
  if (mode === 'capped') return Math.max(0, Math.min(m.rarity, Math.round(value ?? gradient), top));
  if (mode === 'value') return Math.max(0, Math.min(Math.round(value ?? gradient), top));
  return Math.max(0, Math.min(gradient, top));
}

/** Traits by tag counts: per tag, the trait of the last level whose min the units reach. */
export function tagTraits(defs: NonNullable<MaterialsDef['tagTraits']>, m: Pick<MaterialSummary, 'tags'>): string[] {
  const out: string[] = [];
  for (const d of defs) {
    let trait: string | null = null;
    for (const l of d.levels) if ((m.tags[d.tag] ?? 0) >= l.min) trait = l.trait;
    if (trait) out.push(trait);
  }
  return out;
}

/** Up to `max` traits of the materials (of the given slots), the most units first, ties by first seen. */
export function inheritedTraits(def: NonNullable<MaterialsDef['inherit']>, ctx: MaterialsContext, chosen?: readonly string[] | null): string[] {
  // The crafter's choice (checked against the candidates at start), else the rule.
  if (chosen) return [...chosen];
  return traitCandidates(def, ctx).slice(0, def.max);
}

/** The traits the outputs may inherit: every trait of the materials in the inherit slots, the most units first (ties: first seen). */
export function traitCandidates(def: NonNullable<MaterialsDef['inherit']>, ctx: MaterialsContext): string[] {
  const summaries = def.slots ? def.slots.map((s) => ctx.slots[s]).filter((x): x is MaterialSummary => !!x) : [ctx];
  const units = new Map<string, number>();
  for (const s of summaries) for (const [t, n] of Object.entries(s.traits)) units.set(t, (units.get(t) ?? 0) + n);
  return [...units].sort((a, b) => b[1] - a[1]).map(([t]) => t);
}

/**
 * The traits a crafter chose to inherit, checked: the ruleset must inherit traits, at most its
 * `max`, each a candidate of these materials, no repeats. Problems are returned, not thrown.
 */
export function checkChosenTraits(def: MaterialsDef['inherit'] | undefined, ctx: MaterialsContext, chosen: readonly string[]): string[] {
  if (!def) return ['the recipe\'s ruleset passes no traits from the materials to the outputs (materials.inherit)'];
  const problems: string[] = [];
  if (chosen.length > def.max) problems.push(`at most ${def.max} trait${def.max === 1 ? '' : 's'} may be inherited`);
  if (new Set(chosen).size !== chosen.length) problems.push('a trait is named twice');
  const candidates = new Set(traitCandidates(def, ctx));
  for (const t of chosen) if (!candidates.has(t)) problems.push(`"${t}" is not a trait of the materials${def.slots ? ` in ${def.slots.join(', ')}` : ''}`);
  return problems;
}

/** "Legendary steel_ingot (T2) x3, oak_plank (T1) x2": what the outputs were made of, for their metadata. */
export function provenance(lots: readonly MaterialLot[]): { text: string; materials: { slot: string; itemTemplateCode: string; quantity: number; tier: number | null; rarity: string | null }[] } {
  const materials = lots.map((l) => ({ slot: l.slot, itemTemplateCode: l.itemTemplateCode, quantity: l.quantity, tier: l.tier, rarity: l.rarity }));
  const text = materials
    .map((m) => `${m.rarity ? `${m.rarity[0]!.toUpperCase()}${m.rarity.slice(1)} ` : ''}${m.itemTemplateCode}${m.tier !== null ? ` (T${m.tier})` : ''} x${m.quantity}`)
    .join(', ');
  return { text, materials };
}
