/**
 * Recipe inputs as slots (issue: materials that matter): a slot accepts an exact template, or
 * any item of a category or carrying tags (all of, any of), within tier bounds, or one of its
 * alternatives; an `optional` slot (overload) takes only what the crafter names for it, and its
 * materials add properties without being required.
 */

export interface SlotMatcher {
  itemTemplateCode?: string | null;
  category?: string | null;
  tagsAll?: readonly string[] | null;
  tagsAny?: readonly string[] | null;
  tierMinimum?: number | null;
  tierMaximum?: number | null;
}

export interface SlotInput extends SlotMatcher {
  slot?: string | null;
  quantity: number;
  qualityMinimum?: number | null;
  consumeOnStep?: string | null;
  /** Other matchers accepted in place of this one (the bounds of tier apply to each as given). */
  alternatives?: readonly SlotMatcher[] | null;
  optional?: boolean | null;
}

/** What a candidate's template says about it (and its instance's own tier, when set). */
export interface MaterialKind {
  itemTemplateCode: string;
  category?: string | null;
  tags?: readonly string[] | null;
  tier?: number | null;
}

/**
 * What a material is: its template's category and tags, and its tier, the instance's own `tier`
 * metadata when it has one, else the template's.
 */
export function materialKind(
  itemTemplateCode: string,
  metadata: Record<string, unknown> | null | undefined,
  template: { category?: string | null; tags?: readonly string[] | null; tier?: number | null } | undefined,
): MaterialKind {
  const tier = metadata?.tier;
  return {
    itemTemplateCode,
    category: template?.category ?? null,
    tags: template?.tags ?? [],
    tier: typeof tier === 'number' && Number.isFinite(tier) ? tier : (template?.tier ?? null),
  };
}

/** A slot's name: its `slot`, else `input_<n>` (1-based). */
export function slotName(input: Pick<SlotInput, 'slot'>, index: number): string {
  return input.slot ?? `input_${index + 1}`;
}

/** Whether the input names nothing but an exact template (the specification's inputs). */
export function isExactInput(input: SlotInput): boolean {
  return (
    !!input.itemTemplateCode &&
    !input.category &&
    !input.tagsAll?.length &&
    !input.tagsAny?.length &&
    input.tierMinimum == null &&
    input.tierMaximum == null &&
    !input.alternatives?.length
  );
}

function matchesOne(m: SlotMatcher, k: MaterialKind): boolean {
  if (m.itemTemplateCode && k.itemTemplateCode !== m.itemTemplateCode) return false;
  if (m.category && k.category !== m.category) return false;
  const tags = k.tags ?? [];
  if (m.tagsAll?.length && !m.tagsAll.every((t) => tags.includes(t))) return false;
  if (m.tagsAny?.length && !m.tagsAny.some((t) => tags.includes(t))) return false;
  if (m.tierMinimum != null && !((k.tier ?? 0) >= m.tierMinimum)) return false;
  if (m.tierMaximum != null && !((k.tier ?? 0) <= m.tierMaximum)) return false;
  return true;
}

/** Whether a material of this kind fits the slot (its own matcher or an alternative). */
export function fitsSlot(input: SlotInput, kind: MaterialKind): boolean {
  if (matchesOne(input, kind)) return true;
  return (input.alternatives ?? []).some((alt) => matchesOne({ tierMinimum: input.tierMinimum, tierMaximum: input.tierMaximum, ...alt }, kind));
}

/** A short description of what a slot takes (for errors and shortfalls). */
export function describeSlot(input: SlotInput): string {
  const one = (m: SlotMatcher) =>
    [
      m.itemTemplateCode,
      m.category && `category ${m.category}`,
      m.tagsAll?.length && `tags ${m.tagsAll.join('+')}`,
      m.tagsAny?.length && `any tag of ${m.tagsAny.join('|')}`,
    ]
      .filter(Boolean)
      .join(', ');
  const tier = input.tierMinimum != null || input.tierMaximum != null ? ` (tier ${input.tierMinimum ?? 0}..${input.tierMaximum ?? '∞'})` : '';
  return [one(input), ...(input.alternatives ?? []).map(one)].filter(Boolean).join(' or ') + tier;
}
