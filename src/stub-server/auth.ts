import type { FastifyInstance } from 'fastify';
import { jwtVerify } from 'jose';

/** Probes answer without a token, so orchestrators can check the process. */
const OPEN_PATHS = new Set(['/livez', '/readyz']);
/** The fault and latency controls: operators only. */
const ADMIN_PREFIX = '/stubs/admin/';

/**
 * With a secret, every other route needs `authorization: Bearer <HS256 JWT>` signed with it
 * (any subject and roles: the stub server stands in for services that trust their callers'
 * tokens; its controls under /stubs/admin/ need the admin role, else 403); else 401 `unauthorized`. Without one, nothing is checked.
 */
export function registerStubAuth(app: FastifyInstance, jwtSecret: string | null): void {
  if (!jwtSecret) return;
  const key = new TextEncoder().encode(jwtSecret);
  app.addHook('onRequest', async (request, reply) => {
    if (OPEN_PATHS.has(request.url.split('?')[0]!)) return;
    const header = request.headers.authorization;
    const match = typeof header === 'string' ? /^Bearer\s+(\S+)\s*$/i.exec(header) : null;
    if (!match) return reply.code(401).send({ code: 'unauthorized', message: 'a Bearer token is required' });
    try {
      const { payload } = await jwtVerify(match[1]!, key, { algorithms: ['HS256'] });
      const roles = (payload as { roles?: unknown }).roles;
      if (request.url.startsWith(ADMIN_PREFIX) && !(Array.isArray(roles) && roles.includes('admin'))) {
        return reply.code(403).send({ code: 'forbidden', message: 'the controls need a token with the admin role' });
      }
    } catch (err) {
      request.log.info({ reason: (err as Error).message }, 'token rejected');
      return reply.code(401).send({ code: 'unauthorized', message: 'the Bearer token is invalid or expired' });
    }
  });
}
