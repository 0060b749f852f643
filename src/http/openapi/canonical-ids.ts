/**
 * One form for ids. MariaDB compares ids case-insensitively, code compares them exactly, and
 * Ajv's `uuid` format accepts `urn:uuid:` and upper case: an id stored as sent could match one
 * comparison and not the other (a recipe stored under an upper-cased game service id is
 * invisible to that game service's own token). So every request field the contract declares
 * `format: uuid` is rewritten to the canonical lower-case form before validation; the forms
 * accepted are upper or mixed case, a `urn:uuid:` prefix and surrounding braces. Anything
 * else is left as it is, for validation to reject.
 */

const LOOSE_UUID = /^(?:urn:uuid:)?(\{)?([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})(\})?$/i;

/** The canonical lower-case form of a UUID in any accepted form; other strings unchanged. */
export function canonicalUuid(value: string): string {
  const m = LOOSE_UUID.exec(value);
  if (!m || (m[1] === undefined) !== (m[3] === undefined)) return value;
  return m[2]!.toLowerCase();
}

/** Where the uuid fields of a schema are: true = this value is one; else per property / item. */
type Plan = true | { props?: Map<string, Plan>; extra?: Plan; items?: Plan } | null;

type SchemaNode = Record<string, unknown>;

const REF = '#/components/schemas/';

function planOf(node: unknown, schemas: Record<string, unknown>, seen: Map<string, Plan>): Plan {
  if (!node || typeof node !== 'object') return null;
  const s = node as SchemaNode;
  if (typeof s.$ref === 'string' && s.$ref.startsWith(REF)) {
    const name = s.$ref.slice(REF.length);
    if (seen.has(name)) return seen.get(name)!;
    seen.set(name, null); // a cycle reads as "no ids" until resolved
    const plan = planOf(schemas[name], schemas, seen);
    seen.set(name, plan);
    return plan;
  }
  if (s.format === 'uuid') return true;
  const props = new Map<string, Plan>();
  for (const [key, child] of Object.entries((s.properties as Record<string, unknown> | undefined) ?? {})) {
    const p = planOf(child, schemas, seen);
    if (p) props.set(key, p);
  }
  const extra = typeof s.additionalProperties === 'object' ? planOf(s.additionalProperties, schemas, seen) : null;
  const items = planOf(s.items, schemas, seen);
  const variants = [...((s.anyOf as unknown[]) ?? []), ...((s.oneOf as unknown[]) ?? [])].map((v) => planOf(v, schemas, seen)).filter(Boolean);
  if (variants.includes(true)) return true;
  for (const v of variants) {
    if (v && v !== true) {
      for (const [k, p] of v.props ?? []) props.set(k, p);
    }
  }
  if (props.size === 0 && !extra && !items) return null;
  return { ...(props.size > 0 && { props }), ...(extra && { extra }), ...(items && { items }) };
}

function apply(plan: Plan, value: unknown): unknown {
  if (!plan) return value;
  if (plan === true) return typeof value === 'string' ? canonicalUuid(value) : value;
  if (Array.isArray(value)) {
    if (plan.items) for (let i = 0; i < value.length; i++) value[i] = apply(plan.items, value[i]);
    return value;
  }
  if (value && typeof value === 'object') {
    const o = value as Record<string, unknown>;
    for (const key of Object.keys(o)) {
      const p = plan.props?.get(key) ?? (plan.props?.has(key) ? null : plan.extra);
      if (p) o[key] = apply(p, o[key]);
    }
  }
  return value;
}

/**
 * A function that canonicalises, in place, the uuid fields of a body of the named request
 * schema (null when the schema has none).
 */
export function uuidCanonicalizer(schemaName: string, schemas: Record<string, unknown>): ((body: unknown) => void) | null {
  const plan = planOf({ $ref: `${REF}${schemaName}` }, schemas, new Map());
  return plan ? (body) => void apply(plan, body) : null;
}
