import type { FastifyInstance } from 'fastify';

/**
 * Ids from the validated request body that every later log line of the request carries
 * (with the request id Fastify already binds), so an operator can follow one session or
 * entity across requests. Only these body fields are bound: never headers, so never a token.
 */
const BOUND_FIELDS = ['sessionId', 'entityId', 'recipeId', 'gameServiceId', 'stationId', 'contractId'] as const;
const MAX_ID_LENGTH = 128;

export function logBindings(body: unknown): Record<string, string> | null {
  if (!body || typeof body !== 'object' || Array.isArray(body)) return null;
  const bindings: Record<string, string> = {};
  for (const field of BOUND_FIELDS) {
    const value = (body as Record<string, unknown>)[field];
    if (typeof value === 'string' && value.length > 0 && value.length <= MAX_ID_LENGTH) bindings[field] = value;
  }
  return Object.keys(bindings).length > 0 ? bindings : null;
}

export function registerLogContext(app: FastifyInstance) {
  app.addHook('preHandler', async (request, reply) => {
    const bindings = logBindings(request.body);
    if (!bindings) return;
    // reply.log writes "request completed": rebind both so that line has the ids too.
    const child = request.log.child(bindings);
    request.log = child;
    reply.log = child;
  });
}
