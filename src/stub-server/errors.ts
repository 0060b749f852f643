import type { FastifyError, FastifyInstance } from 'fastify';
import { ClientError } from '../clients/errors.js';
import { STATUS_OF_KIND } from '../clients/http/wire.js';
import { isDatabaseDown } from '../http/error-handler.js';

export interface WireErrorBody {
  code: string;
  message: string;
}

/** Prisma's refusals of a value the column cannot hold: bad input, not a server fault. */
const BAD_VALUE_CODES = new Set(['P2000', 'P2005', 'P2006', 'P2007', 'P2020']);

/**
 * A value the database refused (too long, out of range, not a date it can store): Prisma's
 * codes, a driver error of SQLSTATE class 22 (data exception) anywhere in the chain, or
 * Prisma's own check of a value against the column type (e.g. an integer past 64 bits).
 */
function isBadValue(err: unknown, depth = 0): boolean {
  const e = err as { name?: string; code?: string; state?: string; sqlState?: string; kind?: string; cause?: unknown; meta?: { driverAdapterError?: unknown } } | null;
  if (!e || typeof e !== 'object' || depth > 4) return false;
  if (e.name === 'PrismaClientValidationError' || BAD_VALUE_CODES.has(e.code ?? '') || e.kind === 'LengthMismatch') return true;
  if ((e.state ?? e.sqlState ?? '').startsWith('22')) return true;
  return isBadValue(e.cause, depth + 1) || isBadValue(e.meta?.driverAdapterError, depth + 1);
}

/** The wire's refusal for an error: the ClientError's kind and status, 400 for bad bodies, 503 when the database is away. */
export function toWireError(err: unknown): { status: number; body: WireErrorBody } | null {
  if (err instanceof ClientError) {
    return { status: STATUS_OF_KIND[err.kind], body: { code: err.kind, message: err.message } };
  }
  const fe = err as Partial<FastifyError>;
  // Fastify's own refusals: unparsable JSON, empty body, wrong content type, too large.
  if (typeof fe.statusCode === 'number' && fe.statusCode >= 400 && fe.statusCode < 500) {
    return { status: fe.statusCode, body: { code: 'invalid', message: fe.message ?? 'invalid request' } };
  }
  if (isDatabaseDown(err)) return { status: 503, body: { code: 'unavailable', message: 'the database is unavailable' } };
  if (isBadValue(err)) return { status: 400, body: { code: 'invalid', message: 'a value does not fit its field' } };
  return null;
}

export function registerErrorHandling(app: FastifyInstance): void {
  app.setErrorHandler((err, request, reply) => {
    const mapped = toWireError(err);
    if (mapped) {
      // Only ClientErrors are expected refusals; anything else mapped here is worth a look.
      if (mapped.status >= 500 || !(err instanceof ClientError)) request.log.warn({ err }, `stub call refused (${mapped.status})`);
      return reply.code(mapped.status).send(mapped.body);
    }
    request.log.error({ err }, 'stub call failed');
    return reply.code(500).send({ code: 'internal', message: 'internal error' });
  });
  app.setNotFoundHandler((request, reply) =>
    reply.code(404).send({ code: 'no_route', message: `no route ${request.method} ${request.url.split('?')[0]}` }),
  );
}
