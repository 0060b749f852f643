import type { Ajv, FuncKeywordDefinition } from 'ajv';

/**
 * Limits for free-form JSON fields (`additionalProperties: true`), which the schema cannot
 * bound otherwise: `x-max-depth` (levels of nesting; the field itself is level 1) and
 * `x-max-json-length` (characters of its JSON text). Measured without recursion, so a body
 * nested 100,000 deep is refused with a 400 instead of exhausting the stack.
 */
export function measureJson(value: unknown, stopAt: { depth: number; length: number }): { depth: number; length: number } {
  let depth = 0;
  let length = 0;
  const stack: [unknown, number][] = [[value, 1]];
  while (stack.length > 0) {
    const [v, level] = stack.pop()!;
    if (v !== null && typeof v === 'object') {
      depth = Math.max(depth, level);
      const entries = Array.isArray(v) ? v.map((x) => ['', x] as const) : Object.entries(v as Record<string, unknown>);
      length += 2 + Math.max(0, entries.length - 1);
      for (const [k, x] of entries) {
        if (k !== '') length += k.length + 3;
        stack.push([x, level + 1]);
      }
    } else {
      length += typeof v === 'string' ? v.length + 2 : String(v).length;
    }
    if (depth > stopAt.depth || length > stopAt.length) break;
  }
  return { depth, length };
}

type KeywordValidator = ((limit: number, data: unknown) => boolean) & { errors?: { keyword: string; message: string; params: Record<string, unknown> }[] };

function limitKeyword(keyword: string, check: (limit: number, data: unknown) => string | null): FuncKeywordDefinition {
  const validate: KeywordValidator = (limit, data) => {
    const problem = check(limit, data);
    validate.errors = problem ? [{ keyword, message: problem, params: { limit } }] : [];
    return problem === null;
  };
  return { keyword, schemaType: 'number', errors: true, validate: validate as FuncKeywordDefinition['validate'] };
}

/** Registers the two keywords on Fastify's Ajv (`ajv.plugins`). */
export function jsonLimits(ajv: Ajv): Ajv {
  ajv.addKeyword(
    limitKeyword('x-max-depth', (limit, data) =>
      measureJson(data, { depth: limit, length: Number.POSITIVE_INFINITY }).depth > limit ? `must not nest deeper than ${limit} levels` : null,
    ),
  );
  ajv.addKeyword(
    limitKeyword('x-max-json-length', (limit, data) =>
      measureJson(data, { depth: Number.POSITIVE_INFINITY, length: limit }).length > limit ? `must not be longer than ${limit} characters of JSON` : null,
    ),
  );
  return ajv;
}
