import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { ClientError } from '../clients/errors.js';
import { CraftError, ErrorCodes, type ErrorCode } from '../domain/errors.js';

export interface ErrorBody {
  code: string;
  message: string;
  details?: Record<string, unknown>;
}

/**
 * A client error that no service translated. A neighbour's permanent refusal stays a 4xx
 * (its conflict: the neighbour refused, 422 DEPENDENCY_REFUSED), never a 5xx.
 */
const CLIENT_ERROR_CODES: Record<ClientError['kind'], ErrorCode> = {
  not_found: 'ITEM_NOT_FOUND',
  conflict: 'DEPENDENCY_REFUSED',
  insufficient_funds: 'INSUFFICIENT_FUNDS',
  invalid: 'VALIDATION_FAILED',
  unavailable: 'DEPENDENCY_UNAVAILABLE',
};

/** Fastify's own errors (parsing, content type, size) mapped to our codes. */
const FASTIFY_CODES: Record<string, ErrorCode> = {
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'UNSUPPORTED_MEDIA_TYPE',
  FST_ERR_CTP_BODY_TOO_LARGE: 'PAYLOAD_TOO_LARGE',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'VALIDATION_FAILED',
  FST_ERR_CTP_INVALID_JSON_BODY: 'VALIDATION_FAILED',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'VALIDATION_FAILED',
};

/** Connection-level errors of the plain `mariadb` driver (and of Node's sockets under it). */
const DRIVER_CONNECTION_CODES =
  /^(ER_(GET_)?CONNECTION_TIMEOUT|ER_SOCKET_UNEXPECTED_CLOSE|ER_CONNECTION_ALREADY_CLOSED|ER_CMD_CONNECTION_CLOSED|ER_POOL_ALREADY_CLOSED|ER_SERVER_SHUTDOWN|ER_CON_COUNT_ERROR|ECONNREFUSED|ECONNRESET|ETIMEDOUT|EPIPE)$/;
const CONNECTION_MESSAGE =
  /ECONNREFUSED|ECONNRESET|ETIMEDOUT|EPIPE|connection (closed|lost)|Lost connection|pool timeout|pool is (ending|closed)|Connection timeout|Can't reach database|socket has unexpectedly been closed|shutdown in progress/i;

/**
 * MySQL unreachable, restarting or out of connections, through Prisma or the plain driver
 * (a driver error marked `fatal` means its connection is gone), possibly wrapped in `cause`.
 */
export function isDatabaseDown(err: unknown, depth = 0): boolean {
  const e = err as { code?: string; message?: string; fatal?: boolean; sqlState?: string; cause?: unknown } | null;
  if (!e || typeof e !== 'object' || depth > 3) return false;
  if (['P1001', 'P1002', 'P1017', 'P2024'].includes(e.code ?? '')) return true;
  if (e.fatal === true || DRIVER_CONNECTION_CODES.test(e.code ?? '') || (e.sqlState ?? '').startsWith('08')) return true;
  if (CONNECTION_MESSAGE.test(e.message ?? '')) return true;
  return isDatabaseDown(e.cause, depth + 1);
}

/** Ajv's message, said plainly where it is cryptic (the contract's non-blank rule is the pattern `\S`). */
function issueMessage(v: { keyword: string; message?: string; params?: Record<string, unknown> }): string {
  if (v.keyword === 'pattern' && v.params?.pattern === '\\S') return 'must not be blank';
  return v.message ?? '';
}

export function toErrorBody(err: unknown): { status: number; body: ErrorBody } {
  if (err instanceof CraftError) {
    return { status: err.status, body: { code: err.code, message: err.message, ...(err.details && { details: err.details }) } };
  }
  if (err instanceof ClientError) {
    const code = CLIENT_ERROR_CODES[err.kind];
    return { status: ErrorCodes[code], body: { code, message: err.message, details: { service: err.service } } };
  }
  const fe = err as FastifyError;
  if (fe.validation) {
    return {
      status: 400,
      body: {
        code: 'VALIDATION_FAILED',
        message: `request ${fe.validationContext ?? 'body'} is invalid: ${fe.validation
          .slice(0, 5)
          .map((v) => `${v.instancePath || '/'} ${issueMessage(v)}`.trim())
          .join('; ')}`,
        details: {
          errors: fe.validation.slice(0, 200).map((v) => ({
            path: v.instancePath || '/',
            keyword: v.keyword,
            message: issueMessage(v),
            params: v.params,
          })),
        },
      },
    };
  }
  const mapped = fe.code ? FASTIFY_CODES[fe.code] : undefined;
  if (mapped) return { status: ErrorCodes[mapped], body: { code: mapped, message: fe.message } };
  if (fe instanceof SyntaxError || (fe.statusCode === 400 && /JSON/i.test(fe.message))) {
    return { status: 400, body: { code: 'VALIDATION_FAILED', message: `malformed JSON body: ${fe.message}` } };
  }
  if (fe.statusCode && fe.statusCode >= 400 && fe.statusCode < 500) {
    return { status: fe.statusCode, body: { code: 'VALIDATION_FAILED', message: fe.message } };
  }
  if (isDatabaseDown(err)) {
    return {
      status: 503,
      body: { code: 'DEPENDENCY_UNAVAILABLE', message: 'the database is unavailable; retry later', details: { dependency: 'mysql' } },
    };
  }
  return { status: 500, body: { code: 'INTERNAL_ERROR', message: 'unexpected error; see the service logs with the request id' } };
}

/** The one place errors become responses: `{code, message, details?}` with the real status. */
export function registerErrorHandling(app: FastifyInstance) {
  app.setErrorHandler((err, request: FastifyRequest, reply: FastifyReply) => {
    const { status, body } = toErrorBody(err);
    if (status >= 500) request.log.error({ err }, 'request failed');
    else request.log.info({ code: body.code, status }, 'request rejected');
    return reply.status(status).send(body);
  });
  app.setNotFoundHandler((request, reply) =>
    reply.status(404).send({ code: 'ROUTE_NOT_FOUND', message: `no route ${request.method} ${request.url}` }),
  );
}
