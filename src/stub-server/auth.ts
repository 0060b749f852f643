import type { FastifyInstance } from 'fastify';
import { jwtVerify } from 'jose';

/** Probes answer without a token, so orchestrators can check the process. */
const OPEN_PATHS = new Set(['/livez', '/readyz']);

/**
 * With a secret, every other route needs `authorization: Bearer <HS256 JWT>` signed with it
 * (any subject and roles: the stub server stands in for services that trust their callers'
 * tokens); else 401 `unauthorized`. Without one, nothing is checked.
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
      await jwtVerify(match[1]!, key, { algorithms: ['HS256'] });
    } catch (err) {
      request.log.info({ reason: (err as Error).message }, 'token rejected');
      return reply.code(401).send({ code: 'unauthorized', message: 'the Bearer token is invalid or expired' });
    }
  });
}
