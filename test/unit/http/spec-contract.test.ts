import { fileURLToPath } from 'node:url';
import Fastify from 'fastify';
import { describe, expect, it } from 'vitest';
import { ErrorCodes } from '../../../src/domain/errors.js';
import { loadSpec } from '../../../src/http/openapi/load-spec.js';
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
    const app = Fastify();
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
});
