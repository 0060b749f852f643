import { Ajv, type ValidateFunction } from 'ajv';
import formatsPlugin from 'ajv-formats';
import fc from 'fast-check';
import * as mariadb from 'mariadb';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { loadSpec, sharedSchemas, type SpecOperation } from '../../../src/http/openapi/load-spec.js';
import { uuidCanonicalizer } from '../../../src/http/openapi/canonical-ids.js';
import { jsonLimits } from '../../../src/http/openapi/json-limits.js';
import { request as httpRequest } from 'node:http';
import { databaseUrlFor, SPEC_PATH, startHarness, workerNames, type Harness } from '../../helpers/harness.js';

/**
 * Property: hostile bodies sent to every operation of the spec never answer 5xx; a 4xx
 * carries `{code, message}`; a rejected request writes nothing. Bodies the spec itself
 * rejects (checked here with Ajv over the same schemas) must be answered 4xx.
 * Seeded: a failure prints the seed and path to replay it.
 */
const SEED = 20261121;
const RUNS_PER_OPERATION = Number(process.env.HOSTILE_RUNS ?? 20);

const spec = loadSpec(SPEC_PATH);
const schemas = spec.schemas as Record<string, Schema>;

type Schema = {
  $ref?: string;
  type?: string | string[];
  enum?: unknown[];
  const?: unknown;
  format?: string;
  pattern?: string;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  minItems?: number;
  maxItems?: number;
  uniqueItems?: boolean;
  items?: Schema;
  properties?: Record<string, Schema>;
  required?: string[];
  additionalProperties?: boolean | Schema;
  anyOf?: Schema[];
  minProperties?: number;
  maxProperties?: number;
  propertyNames?: Schema;
  'x-max-depth'?: number;
  'x-max-json-length'?: number;
};

const WRITTEN_TABLES = [
  'Recipe',
  'Ruleset',
  'CraftAbilityUse',
  'CraftSession',
  'Station',
  'Proficiency',
  'KnownRecipe',
  'DiscoveryAttempt',
  'OutboxEvent',
  'stub_item_instance',
  'stub_item_template',
  'stub_container',
  'stub_game_service',
  'stub_wallet',
  'stub_wallet_balance',
  'stub_currency_hold',
  'stub_contract',
] as const;

function resolve(schema: Schema): Schema {
  let s = schema;
  while (s.$ref) s = schemas[s.$ref.replace('#/components/schemas/', '')]!;
  return s;
}

function typesOf(s: Schema): string[] {
  if (s.type) return Array.isArray(s.type) ? s.type : [s.type];
  if (s.enum) return [...new Set(s.enum.map((v) => (v === null ? 'null' : typeof v)))];
  if (s.properties) return ['object'];
  return [];
}

// ---------- hostile scalars ----------

/** Emoji, RTL override, NUL, lone surrogates (JSON.stringify writes them as \udXXX escapes), combining marks. */
const hostileChar = fc.constantFrom(
  '🔥',
  '👩‍👩‍👧‍👦',
  '\u202E',
  '\u200F',
  'ש',
  '\u0000',
  '\uD800',
  '\uDFFF',
  '\uFEFF',
  'e\u0301',
  '𝕏',
  '"',
  '\\',
  "'; DROP TABLE Recipe; --",
  '<script>',
  '%00',
  '\n',
);
const hostileString = (minLength: number, maxLength: number) =>
  fc
    .array(fc.oneof(hostileChar, fc.string({ maxLength: 3 })), { minLength: 0, maxLength: 8 })
    .map((parts) => parts.join(''))
    .map((s) => {
      // Ajv counts code points: pad / cut inside the bounds.
      let cps = [...s];
      if (cps.length > maxLength) cps = cps.slice(0, maxLength);
      while (cps.length < minLength) cps.push('a');
      return cps.join('');
    });

const BAD_NUMBERS = [
  -1,
  -2147483649,
  1e308,
  -1e308,
  Number.MAX_SAFE_INTEGER * 16,
  0.5,
  -0.000001,
  1.0000001,
  5e-324,
];
const wrongIds = fc.constantFrom(
  'not-a-uuid',
  '',
  '00000000-0000-0000-0000-00000000000g',
  '123e4567e89b12d3a456426614174000',
  '../../etc/passwd',
  "' OR 1=1 --",
  '{{7*7}}',
  '123e4567-e89b-12d3-a456-4266141740000',
);
const nested = fc.constantFrom<unknown>({ a: { b: { c: [1, { d: null }] } } }, { $gt: '' }, JSON.parse('{"__proto__":{"polluted":true}}'), [[[]]]);
const anyWrongType = fc.oneof(
  fc.integer(),
  fc.double({ noNaN: true }),
  fc.boolean(),
  fc.constant(null),
  fc.string({ maxLength: 5 }),
  fc.array(fc.integer(), { maxLength: 3 }),
  nested,
);

function isOfType(v: unknown, t: string) {
  if (t === 'null') return v === null;
  if (t === 'array') return Array.isArray(v);
  if (t === 'object') return v !== null && typeof v === 'object' && !Array.isArray(v);
  if (t === 'integer') return Number.isInteger(v);
  return typeof v === t;
}
function wrongTypeFor(s: Schema) {
  const ts = typesOf(s);
  return anyWrongType.filter((v) => !ts.some((t) => isOfType(v, t)));
}

// ---------- valid-looking values (may be accepted) ----------

interface Ctx {
  gameServiceId: string;
}

/** A JSON value nested too deep for JSON.stringify, kept as its text until the body is written. */
class DeepJson {
  constructor(readonly text: string) {}
}

/** JSON.stringify, writing each DeepJson as its text. */
function toJson(v: unknown): string {
  if (v instanceof DeepJson) return v.text;
  if (Array.isArray(v)) return `[${v.map((x) => (x === undefined ? 'null' : toJson(x))).join(',')}]`;
  if (v !== null && typeof v === 'object') {
    const parts: string[] = [];
    for (const [k, x] of Object.entries(v)) if (x !== undefined) parts.push(`${JSON.stringify(k)}:${toJson(x)}`);
    return `{${parts.join(',')}}`;
  }
  return JSON.stringify(v) ?? 'null';
}

function plausible(schema: Schema, ctx: Ctx, depth = 0, key = ''): fc.Arbitrary<unknown> {
  const s = resolve(schema);
  if (s.const !== undefined) return fc.constant(s.const);
  if (s.enum) return fc.constantFrom(...s.enum);
  if (s.anyOf) return fc.oneof(...s.anyOf.map((x) => plausible(x, ctx, depth, key)));
  const types = typesOf(s).filter((t) => t !== 'null');
  const t = types[0];
  const nullable = typesOf(s).includes('null');
  const base = ((): fc.Arbitrary<unknown> => {
    switch (t) {
      case 'string': {
        if (s.format === 'uuid') {
          // Mostly "uuid of nothing"; the game service is often real so calls get deeper. Every
          // form a caller may write it in (upper case, urn:uuid:, braces) is accepted as the same id.
          const id = key === 'gameServiceId' ? fc.oneof(fc.constant(ctx.gameServiceId), fc.uuid()) : fc.uuid();
          return fc.tuple(id, fc.constantFrom('plain', 'upper', 'urn', 'braces', 'mixed')).map(([v, form]) =>
            form === 'upper' ? v.toUpperCase() : form === 'urn' ? `urn:uuid:${v}` : form === 'braces' ? `{${v}}` : form === 'mixed' ? `URN:UUID:${v.toUpperCase()}` : v,
          );
        }
        if (s.format === 'date-time') {
          return fc
            .date({ min: new Date('1970-01-01T00:00:00Z'), max: new Date('2999-12-31T00:00:00Z'), noInvalidDate: true })
            .map((d) => d.toISOString());
        }
        const min = s.minLength ?? 0;
        const max = Math.min(s.maxLength ?? 64, 64);
        if (s.pattern) {
          return fc
            .stringMatching(new RegExp(s.pattern))
            .map((v) => v.slice(0, max))
            .filter((v) => v.length >= Math.max(min, 1) && new RegExp(s.pattern!).test(v));
        }
        return hostileString(min, max);
      }
      case 'integer': {
        const min = s.minimum ?? -(2 ** 31);
        const max = s.maximum ?? 2 ** 31 - 1;
        return fc.oneof(fc.constantFrom(min, max), fc.integer({ min, max }));
      }
      case 'number': {
        const min = s.minimum ?? -1e9;
        const max = s.maximum ?? 1e9;
        return fc.oneof(fc.constantFrom(min, max), fc.double({ min, max, noNaN: true, noDefaultInfinity: true }));
      }
      case 'boolean':
        return fc.boolean();
      case 'array': {
        if (depth > 4) return fc.constant([]);
        const item = plausible(s.items ?? {}, ctx, depth + 1);
        const minLength = s.minItems ?? 0;
        const maxLength = Math.max(minLength, Math.min(s.maxItems ?? 3, 3));
        return s.uniqueItems
          ? fc.uniqueArray(item, { minLength, maxLength, selector: (v) => JSON.stringify(v) })
          : fc.array(item, { minLength, maxLength });
      }
      case 'object': {
        if (!s.properties) return fc.constant({});
        if (depth > 4) return fc.constant({});
        const model: Record<string, fc.Arbitrary<unknown>> = {};
        for (const [k, v] of Object.entries(s.properties)) model[k] = plausible(v, ctx, depth + 1, k);
        return fc.record(model, { requiredKeys: s.required ?? [] });
      }
      default:
        return fc.constant(null);
    }
  })();
  return nullable ? fc.oneof(base, fc.constant(null)) : base;
}

// ---------- values violating at least one constraint ----------

function invalid(schema: Schema, ctx: Ctx, depth = 0): fc.Arbitrary<unknown> {
  const s = resolve(schema);
  const options: fc.Arbitrary<unknown>[] = [wrongTypeFor(s)];
  if (!typesOf(s).includes('object')) options.push(nested);
  if (s.enum) options.push(fc.constantFrom('NOT_IN_ENUM', 'é', 'nUlL'));
  const types = typesOf(s);
  if (types.includes('string')) {
    if (s.maxLength !== undefined) {
      const over = s.maxLength + 1;
      options.push(
        fc.integer({ min: over, max: 100_000 }).chain((n) =>
          fc.constantFrom('x'.repeat(n), '🔥'.repeat(n), '\u202E'.repeat(n), 'a\u0000'.repeat(Math.ceil(n / 2))),
        ),
      );
    }
    if (s.minLength) options.push(fc.constant(''));
    // Non-blank strings: whitespace of every kind is refused, not stored to fail later.
    if (s.pattern === '\\S') options.push(fc.constantFrom(' ', '\t', '\n', ' \r\n\t ', '\u00a0', '\u3000', '\u2028'));
    if (s.format === 'uuid') options.push(wrongIds, fc.constantFrom('{123e4567-e89b-12d3-a456-426614174000', 'urn:uuid:{123e4567-e89b-12d3-a456-426614174000}', 'uuid:123e4567-e89b-12d3-a456-426614174000'));
    if (s.pattern) {
      const off = ['has space', '🔥', '../x', 'a\u0000b', 'ÄÖÜ'].filter((v) => !new RegExp(s.pattern!).test(v));
      if (off.length > 0) options.push(fc.constantFrom(...off));
    }
  }
  if (types.includes('integer') || types.includes('number')) {
    const outOfRange = BAD_NUMBERS.filter(
      (n) =>
        (s.minimum !== undefined && n < s.minimum) ||
        (s.maximum !== undefined && n > s.maximum) ||
        (types.includes('integer') && !types.includes('number') && !Number.isInteger(n)),
    );
    if (outOfRange.length > 0) options.push(fc.constantFrom(...outOfRange));
    if (s.minimum !== undefined) options.push(fc.constant(s.minimum - 1));
    if (s.maximum !== undefined) options.push(fc.constant(s.maximum + 1));
    options.push(fc.constantFrom('1', '1e3', 'NaN', 'Infinity', '-0'));
  }
  if (types.includes('array') && depth <= 4) {
    const item = plausible(s.items ?? {}, ctx, depth + 1);
    if (s.maxItems !== undefined) {
      const maxItems = s.maxItems;
      options.push(item.chain((v) => fc.integer({ min: maxItems + 1, max: maxItems + 50 }).map((n) => Array.from({ length: n }, () => v))));
    }
    options.push(
      fc
        .tuple(fc.array(item, { minLength: Math.max(s.minItems ?? 0, 0), maxLength: 2 }), invalid(s.items ?? {}, ctx, depth + 1))
        .map(([xs, bad]) => [...xs, bad]),
    );
  }
  if (s['x-max-depth'] !== undefined) {
    // Free-form JSON nested past its limit, up to deep enough to exhaust a recursive walker's stack.
    // (Written out as text when the body is sent: JSON.stringify itself cannot go that deep.)
    options.push(fc.integer({ min: s['x-max-depth'] + 1, max: 20_000 }).map((n) => new DeepJson(`${'{"a":'.repeat(n - 1)}1${'}'.repeat(n - 1)}`)));
    options.push(fc.integer({ min: s['x-max-depth'], max: 5_000 }).map((n) => ({ deep: new DeepJson('['.repeat(n) + ']'.repeat(n)) })));
  }
  if (s['x-max-json-length'] !== undefined) {
    const limit = s['x-max-json-length'];
    options.push(fc.constantFrom({ blob: 'x'.repeat(limit) }, Object.fromEntries(Array.from({ length: 40 }, (_, i) => [`k${i}`, 'y'.repeat(Math.ceil(limit / 40))]))));
  }
  if (types.includes('object') && depth <= 4) {
    const valid = plausible(s, ctx, depth) as fc.Arbitrary<Record<string, unknown>>;
    if (s.additionalProperties === false) {
      options.push(
        fc
          .tuple(valid, fc.constantFrom('unknownField', '__proto__x', 'constructor', '🔥', '', 'gameServiceID'), anyWrongType)
          .map(([v, k, x]) => ({ ...v, [k]: x })),
      );
    }
    for (const req of s.required ?? []) {
      options.push(
        valid.map((v) => {
          const copy = { ...v };
          delete copy[req];
          return copy;
        }),
      );
    }
    for (const [k, p] of Object.entries(s.properties ?? {})) {
      options.push(fc.tuple(valid, invalid(p, ctx, depth + 1)).map(([v, bad]) => ({ ...v, [k]: bad })));
    }
  }
  return fc.oneof(...options);
}

/** Bodies that are not JSON at all. */
const brokenJson = fc.oneof(
  fc.constantFrom('{', '{"a":', '{"a":1,}', "{'a':1}", '{"a":NaN}', '{"a":Infinity}', '{"a":01}', 'undefined', '[1,2', '{"a":"\\x00"}', '{"a":"\\ud800', '\u0000', '{}}', '{"a":1}{"b":2}'),
  fc.string({ maxLength: 40 }).filter((v) => {
    try {
      JSON.parse(v);
      return false;
    } catch {
      return v.trim().length > 0;
    }
  }),
);
/** JSON that is valid but not an object. */
const nonObject = fc.oneof(
  fc.constantFrom<unknown>(null, true, 0, -1, 'string', [], [{}], '{"nested":"json in a string"}'),
  fc.array(fc.anything({ maxDepth: 2 }), { maxLength: 5 }),
  fc.string({ maxLength: 20 }),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
);

type Sample = { kind: 'invalid' | 'plausible' | 'nonObject'; body: unknown } | { kind: 'broken'; raw: string };

function samples(op: SpecOperation, ctx: Ctx): fc.Arbitrary<Sample> {
  const req: Schema = op.requestSchema ? { $ref: `#/components/schemas/${op.requestSchema}` } : { type: 'object', properties: {} };
  return fc.oneof(
    { weight: 6, arbitrary: invalid(req, ctx).map((body) => ({ kind: 'invalid' as const, body })) },
    { weight: 2, arbitrary: plausible(req, ctx).map((body) => ({ kind: 'plausible' as const, body })) },
    { weight: 1, arbitrary: nonObject.map((body) => ({ kind: 'nonObject' as const, body })) },
    { weight: 1, arbitrary: brokenJson.map((raw) => ({ kind: 'broken' as const, raw })) },
  );
}

// ---------- the property ----------

const ajv = jsonLimits(new Ajv({ strict: false, allErrors: false, coerceTypes: false, removeAdditional: false }));
(formatsPlugin as unknown as { default: (a: Ajv) => void }).default(ajv);
for (const schema of sharedSchemas(spec.schemas)) ajv.addSchema(schema);
const validators = new Map<string, ValidateFunction>();
function specAccepts(op: SpecOperation, body: unknown): boolean {
  if (!op.requestSchema) return body !== null && typeof body === 'object' && !Array.isArray(body);
  let v = validators.get(op.requestSchema);
  if (!v) {
    v = ajv.getSchema(op.requestSchema)!;
    validators.set(op.requestSchema, v);
  }
  // What the server validates: the JSON text parsed again (undefined keys dropped, -0 kept as 0...),
  // its ids in canonical form (the contract accepts upper case, urn:uuid: and braces).
  let received: unknown;
  try {
    received = structuredClone(body);
  } catch (err) {
    // Nested deeper than a copy can walk: far past every x-max-depth of the spec (28 at most), so refused.
    if (err instanceof RangeError) return false;
    throw err;
  }
  if (received !== null && typeof received === 'object') uuidCanonicalizer(op.requestSchema, spec.schemas)?.(received);
  return v(received) as boolean;
}

let h: Harness;
let ownDatabase: string | undefined;
let ctx: Ctx;
const tally: Record<string, number> = { invalid: 0, plausible: 0, nonObject: 0, broken: 0, accepted: 0, rejected: 0 };

async function countRows(): Promise<Record<string, number>> {
  const sql = `SELECT ${WRITTEN_TABLES.map((t) => `(SELECT COUNT(*) FROM \`${t}\`) AS \`${t}\``).join(', ')}`;
  const [row] = await h.runtime.internals.prisma.$queryRawUnsafe<Record<string, bigint>[]>(sql);
  return Object.fromEntries(Object.entries(row!).map(([k, v]) => [k, Number(v)]));
}

beforeAll(async () => {
  // Its own database, Redis prefix and streams (per process: suites run concurrently from the same
  // checkout share craft_test_N): the row counts must not see anyone else's writes. Dropped afterwards.
  const pool = process.env.VITEST_POOL_ID;
  process.env.VITEST_POOL_ID = `hostile${process.pid}`;
  ownDatabase = workerNames().database;
  try {
    h = await startHarness();
  } finally {
    process.env.VITEST_POOL_ID = pool;
  }
  ctx = { gameServiceId: await h.gameService() };
});
afterAll(async () => {
  // eslint-disable-next-line no-console
  console.info('hostile-input tally', tally);
  await h?.close();
  if (!ownDatabase) return;
  const conn = await mariadb.createConnection(databaseUrlFor(inject('services').databaseUrl, 'mysql').replace(/^mysql:/, 'mariadb:'));
  try {
    await conn.query(`DROP DATABASE IF EXISTS \`${ownDatabase}\``);
  } finally {
    await conn.end();
  }
});

describe('hostile input, every operation of the spec', () => {
  it('coversEveryOperation', () => {
    expect(spec.operations.length).toBeGreaterThanOrEqual(45);
  });

  for (const op of spec.operations) {
    it(`${op.operationId}_hostileBodies_never5xx_rejectedWritesNothing`, async () => {
      await fc.assert(
        fc.asyncProperty(samples(op, ctx), async (sample) => {
          tally[sample.kind]!++;
          const payload = sample.kind === 'broken' ? sample.raw : toJson(sample.body);
          const mustReject = sample.kind === 'broken' || !specAccepts(op, JSON.parse(payload ?? 'null'));
          const before = await countRows();
          const res = await h.post(op.path, payload ?? 'null');
          const where = `${op.operationId} ${sample.kind} ${String(payload).slice(0, 300)}`;
          expect(res.status, `${where} -> ${JSON.stringify(res.body)}`).toBeLessThan(500);
          if (mustReject) expect(res.status, `${where} must be rejected`).toBeGreaterThanOrEqual(400);
          if (res.status >= 400) {
            tally.rejected!++;
            expect(res.body, where).toMatchObject({ code: expect.any(String), message: expect.any(String) });
            expect(await countRows(), `${where} wrote rows`).toEqual(before);
          } else {
            tally.accepted!++;
          }
        }),
        { numRuns: RUNS_PER_OPERATION, seed: SEED, endOnFailure: true },
      );
    });
  }

  it('oversizedHeaders_answer431WithTheErrorBody_notNodesOwn', async () => {
    await h.app.listen({ host: '127.0.0.1', port: 0 });
    const { port } = h.app.server.address() as { port: number };
    const send = (headers: Record<string, string>) =>
      new Promise<{ status: number; body: string }>((resolve, reject) => {
        const req = httpRequest({ host: '127.0.0.1', port, method: 'POST', path: '/craft/recipe/list', headers: { 'content-type': 'application/json', ...headers } }, (res) => {
          let body = '';
          res.on('data', (c) => (body += c));
          res.on('end', () => resolve({ status: res.statusCode!, body }));
        });
        req.on('error', reject);
        req.end('{}');
      });
    const oversized: Record<string, string>[] = [{ authorization: `Bearer ${"x".repeat(100_000)}` }, { "x-filler": "y".repeat(20_000), "x-more": "z".repeat(20_000) }];
    for (const headers of oversized) {
      const res = await send(headers);
      expect(res.status).toBe(431);
      expect(JSON.parse(res.body)).toEqual({ code: 'HEADERS_TOO_LARGE', message: expect.stringContaining('headers') });
    }
  });
});

