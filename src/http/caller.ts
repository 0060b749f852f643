import type { FastifyInstance, FastifyRequest } from 'fastify';

declare module 'fastify' {
  interface FastifyRequest {
    /**
     * Who is calling, once authentication has verified it (set in an onRequest hook,
     * so before anything reads it); null until then. The rate limit falls back to the
     * client address while it is null.
     */
    callerId: string | null;
  }
}

/** The identity every caller shares while authentication is disabled (CRAFT_AUTH_DISABLED). */
export const ANONYMOUS_CALLER = 'anonymous';

/** Adds `request.callerId` (null = not authenticated); safe to call more than once. */
export function registerCallerIdentity(app: FastifyInstance) {
  if (!app.hasRequestDecorator('callerId')) app.decorateRequest('callerId', null);
}

/**
 * The identity that owns per-caller state such as idempotency keys: two callers never
 * share a key space. Authentication (src/http/auth.ts) sets `request.callerId` to the
 * token's `sub`; with auth disabled every caller is `anonymous`. This is the one place to
 * adjust if the key should be built differently (e.g. issuer + subject).
 */
export function callerKeyOf(request: FastifyRequest): string {
  return request.callerId ?? ANONYMOUS_CALLER;
}
