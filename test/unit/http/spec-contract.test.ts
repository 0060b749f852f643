import { fileURLToPath } from 'node:url';
import Fastify from 'fastify';
import { describe, expect, it } from 'vitest';
import { ErrorCodes } from '../../../src/domain/errors.js';
import { Ajv } from 'ajv';
import formatsPlugin from 'ajv-formats';
import { loadSpec, sharedSchemas } from '../../../src/http/openapi/load-spec.js';
import { jsonLimits } from '../../../src/http/openapi/json-limits.js';
import { registerSpecRoutes } from '../../../src/http/openapi/register-routes.js';
import type { Handlers } from '../../../src/http/route-types.js';

const spec = loadSpec(fileURLToPath(new URL('../../../schemas/craft-api.yaml', import.meta.url)));

function allHandlers(): Record<string, () => Promise<unknown>> {
  return Object.fromEntries(spec.operations.map((o) => [o.operationId, async () => ({})]));
}

describe('spec and code agree', () => {
  it('registerSpecRoutes_operationWithoutHandler_refusesToStart', () => {
    const handlers = allHandlers();
    delete handlers.getRecipe;
    expect(() => registerSpecRoutes(Fastify(), spec, handlers as unknown as Handlers, { standalone: true })).toThrow(
      /missing \[getRecipe\]/,
    );
  });

  it('registerSpecRoutes_handlerWithoutOperation_refusesToStart', () => {
    const handlers = { ...allHandlers(), brewCoffee: async () => ({}) };
    expect(() => registerSpecRoutes(Fastify(), spec, handlers as unknown as Handlers, { standalone: true })).toThrow(
      /without operation \[brewCoffee\]/,
    );
  });

  it('registerSpecRoutes_notStandalone_leavesOutDevRoutes', async () => {
    const app = Fastify({ ajv: { customOptions: { strict: false, allErrors: true }, plugins: [jsonLimits] } });
    registerSpecRoutes(app, spec, allHandlers() as unknown as Handlers, { standalone: false });
    await app.ready();
    expect(app.hasRoute({ method: 'POST', url: '/dev/game-service/register' })).toBe(false);
    expect(app.hasRoute({ method: 'POST', url: '/craft/recipe/get' })).toBe(true);
  });

  it('everyOperation_hasPermissionsAndDeclaresEachErrorCodeWithOurStatus', () => {
    for (const op of spec.operations) {
      expect(op.permissions.length, op.operationId).toBeGreaterThan(0);
      const raw = (spec.document.paths as any)[op.path].post['x-error-codes'] as Record<string, string[]>;
      for (const [status, codes] of Object.entries(raw)) {
        expect(op.responseSchemas[status], `${op.operationId} ${status}`).toBe('ErrorResponse');
        for (const code of codes) {
          expect(ErrorCodes[code as keyof typeof ErrorCodes], `${op.operationId}: ${code}`).toBe(Number(status));
        }
      }
    }
  });

  it('everyRequestString_hasMaxLength_andEveryArray_hasMaxItems', () => {
    // Request bodies only (what a stranger can send). A string is bounded by maxLength,
    // an enum/const, or the uuid format (36 characters).
    const unbounded: string[] = [];
    const seen = new Set<string>();
    const walk = (node: unknown, where: string): void => {
      if (Array.isArray(node)) return node.forEach((n, i) => walk(n, `${where}/${i}`));
      if (!node || typeof node !== 'object') return;
      const s = node as Record<string, unknown>;
      if (typeof s.$ref === 'string') {
        const name = s.$ref.replace('#/components/schemas/', '');
        if (!seen.has(name)) {
          seen.add(name);
          walk(spec.schemas[name], name);
        }
        return;
      }
      const types = Array.isArray(s.type) ? s.type : [s.type];
      if (types.includes('string') && s.maxLength === undefined && !s.enum && s.const === undefined && s.format !== 'uuid') {
        unbounded.push(`${where}: string without maxLength`);
      }
      if (types.includes('array') && s.maxItems === undefined) unbounded.push(`${where}: array without maxItems`);
      if (types.includes('object') && s.additionalProperties !== false && s.maxProperties === undefined) {
        unbounded.push(`${where}: open object without maxProperties`);
      }
      for (const [k, v] of Object.entries(s)) if (k !== 'enum' && k !== 'const' && k !== 'default') walk(v, `${where}/${k}`);
    };
    const requestSchemas = spec.operations.map((o) => o.requestSchema).filter((n): n is string => n !== null);
    expect(requestSchemas.length).toBe(spec.operations.length);
    for (const name of requestSchemas) walk({ $ref: `#/components/schemas/${name}` }, name);
    expect(unbounded).toEqual([]);
  });

  it('everyOperation_hasARequestExample_thatItsOwnSchemaAccepts', () => {
    // The examples are the "Try it out" bodies of /docs and the baseline of the tenancy test.
    const ajv = jsonLimits(new Ajv({ strict: false, allErrors: true }));
    (formatsPlugin as unknown as { default: (a: Ajv) => void }).default(ajv);
    for (const schema of sharedSchemas(spec.schemas)) ajv.addSchema(schema);
    const problems: string[] = [];
    for (const op of spec.operations) {
      const media = (spec.document.paths as any)[op.path][op.method].requestBody?.content?.['application/json'];
      if (media?.example === undefined) {
        problems.push(`${op.operationId}: no example`);
        continue;
      }
      const validate = ajv.getSchema(op.requestSchema!)!;
      if (!validate(structuredClone(media.example))) problems.push(`${op.operationId}: ${ajv.errorsText(validate.errors)}`);
    }
    expect(problems).toEqual([]);
  });

  it('everyOperation_needsTheBearerScheme_declaredForSwaggerUi', () => {
    const doc = spec.document as any;
    expect(doc.components.securitySchemes.bearerAuth).toMatchObject({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT' });
    expect(doc.security).toEqual([{ bearerAuth: [] }]);
    for (const op of spec.operations) expect(doc.paths[op.path][op.method].security, op.operationId).toBeUndefined();
  });
});

