import type { FastifyInstance } from 'fastify';
import type { Handlers, OperationId, RequestContext } from '../route-types.js';
import { InFlight } from '../in-flight.js';
import { scopeOf } from '../auth.js';
import { sharedSchemas, type LoadedSpec } from './load-spec.js';
import { uuidCanonicalizer } from './canonical-ids.js';

export interface RegisterOptions {
  /** Operations under /dev/ are only served in standalone mode. */
  standalone: boolean;
  /** Counts running handlers (a shutdown waits for them); default: a counter of its own. */
  inFlight?: InFlight;
}

/**
 * Registers one route per operation of the spec, with Ajv request validation and
 * fast-json-stringify responses from the spec's own schemas. Refuses to start if
 * an operation has no handler or a handler has no operation.
 */
export function registerSpecRoutes(
  app: FastifyInstance,
  spec: LoadedSpec,
  handlers: Handlers,
  opts: RegisterOptions,
) {
  const specIds = new Set(spec.operations.map((o) => o.operationId));
  const missing = [...specIds].filter((id) => !(id in handlers));
  const extra = Object.keys(handlers).filter((id) => !specIds.has(id));
  if (missing.length > 0 || extra.length > 0) {
    throw new Error(
      `handlers do not match the spec: missing [${missing.join(', ')}], without operation [${extra.join(', ')}]`,
    );
  }

  for (const schema of sharedSchemas(spec.schemas)) app.addSchema(schema);

  const inFlight = opts.inFlight ?? new InFlight();
  for (const op of spec.operations) {
    if (op.path.startsWith('/dev/') && !opts.standalone) continue;
    const handler = handlers[op.operationId as OperationId] as (body: unknown, ctx: RequestContext) => Promise<unknown>;
    const canonicalize = op.requestSchema ? uuidCanonicalizer(op.requestSchema, spec.schemas) : null;
    const response: Record<string, unknown> = {};
    for (const [status, name] of Object.entries(op.responseSchemas)) response[status] = { $ref: `${name}#` };
    app.route({
      method: op.method.toUpperCase() as 'POST' | 'GET',
      url: op.path,
      schema: {
        ...(op.requestSchema && { body: { $ref: `${op.requestSchema}#` } }),
        response,
      },
      // Ids in one form before validation, so what is stored is what every comparison sees.
      ...(canonicalize && {
        preValidation: async (request: { body: unknown }) => {
          canonicalize(request.body);
        },
      }),
      config: {
        operationId: op.operationId,
        permissions: op.permissions,
        idempotent: op.idempotent,
        notFoundCode: op.notFoundCode,
      },
      handler: async (request) =>
        inFlight.run(() => handler(request.body ?? {}, { requestId: request.id, log: request.log, scope: scopeOf(request.caller) })),
    });
  }
}
