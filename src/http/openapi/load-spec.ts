import { readFileSync } from 'node:fs';
import { parse } from 'yaml';

export interface SpecOperation {
  operationId: string;
  method: 'post' | 'get';
  path: string;
  tags: string[];
  permissions: string[];
  /** Component name of the JSON request body. */
  requestSchema: string | null;
  /** Status -> component name of the JSON response body. */
  responseSchemas: Record<string, string>;
  /** Declares the `Idempotency-Key` header (`#/components/parameters/IdempotencyKey`): the operation honours it. */
  idempotent: boolean;
  /** The first 404 code of `x-error-codes` (what a resource of another game service answers), if any. */
  notFoundCode: string | null;
}

export interface LoadedSpec {
  document: Record<string, unknown>;
  schemas: Record<string, unknown>;
  operations: SpecOperation[];
}

const REF_PREFIX = '#/components/schemas/';
const RESPONSE_REF_PREFIX = '#/components/responses/';
export const IDEMPOTENCY_KEY_PARAMETER = '#/components/parameters/IdempotencyKey';

interface RawOperation {
  operationId?: string;
  tags?: string[];
  'x-permissions'?: string[];
  'x-error-codes'?: Record<string, string[]>;
  parameters?: { $ref?: string }[];
  requestBody?: { content?: Record<string, { schema?: { $ref?: string } }> };
  responses?: Record<string, { $ref?: string; content?: Record<string, { schema?: { $ref?: string } }> }>;
}

type RawResponse = NonNullable<RawOperation['responses']>[string];

interface RawDocument extends Record<string, unknown> {
  paths?: Record<string, Record<string, RawOperation>>;
  components?: { schemas?: Record<string, unknown>; responses?: Record<string, RawResponse> };
}

function refName(ref: string | undefined, prefix = REF_PREFIX): string | null {
  if (!ref) return null;
  if (!ref.startsWith(prefix)) throw new Error(`unsupported $ref ${ref}: only ${prefix}* is used`);
  return ref.slice(prefix.length);
}

/** Reads the contract; routes, validation and docs all come from this one document. */
export function loadSpec(file: string): LoadedSpec {
  const document = parse(readFileSync(file, 'utf8')) as RawDocument;
  const schemas = document.components?.schemas ?? {};
  const sharedResponses = document.components?.responses ?? {};
  const operations: SpecOperation[] = [];
  for (const [path, item] of Object.entries(document.paths ?? {})) {
    for (const method of ['post', 'get'] as const) {
      const op = item[method];
      if (!op) continue;
      if (!op.operationId) throw new Error(`${method.toUpperCase()} ${path} has no operationId`);
      const responseSchemas: Record<string, string> = {};
      for (const [status, response] of Object.entries(op.responses ?? {})) {
        const resolved = response.$ref ? sharedResponses[refName(response.$ref, RESPONSE_REF_PREFIX)!] : response;
        const name = refName(resolved?.content?.['application/json']?.schema?.$ref);
        if (name) responseSchemas[status] = name;
      }
      operations.push({
        operationId: op.operationId,
        method,
        path,
        tags: op.tags ?? [],
        permissions: op['x-permissions'] ?? [],
        requestSchema: refName(op.requestBody?.content?.['application/json']?.schema?.$ref),
        responseSchemas,
        idempotent: (op.parameters ?? []).some((p) => p.$ref === IDEMPOTENCY_KEY_PARAMETER),
        notFoundCode: op['x-error-codes']?.['404']?.[0] ?? null,
      });
    }
  }
  return { document, schemas, operations };
}

/**
 * Component schemas become Fastify shared schemas with `$id` = component name and
 * every `#/components/schemas/X` reference rewritten to `X#`, which both Ajv
 * (requests) and fast-json-stringify (responses) resolve.
 */
export function sharedSchemas(schemas: Record<string, unknown>): { $id: string }[] {
  const rewrite = (node: unknown): unknown => {
    if (Array.isArray(node)) return node.map(rewrite);
    if (node && typeof node === 'object') {
      const out: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(node)) {
        if (k === '$ref' && typeof v === 'string' && v.startsWith(REF_PREFIX)) {
          out[k] = `${v.slice(REF_PREFIX.length)}#`;
        } else if (k !== 'example' && k !== 'examples') {
          out[k] = rewrite(v);
        }
      }
      return out;
    }
    return node;
  };
  return Object.entries(schemas).map(([name, schema]) => ({
    ...(rewrite(schema) as object),
    $id: name,
  }));
}
