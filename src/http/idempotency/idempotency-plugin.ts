import { Buffer } from 'node:buffer';
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { CraftError } from '../../domain/errors.js';
import type { IdempotencyClaim, IdempotencyService } from '../../services/idempotency/idempotency-service.js';
import { callerKeyOf, registerCallerIdentity } from '../caller.js';
import { requestHash } from './request-hash.js';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The operation declares the `Idempotency-Key` header parameter in the spec. */
    idempotent?: boolean;
  }
  interface FastifyRequest {
    /** Set while this request owns its idempotency key; settled when the response is sent. */
    idempotencyClaim: IdempotencyClaim | null;
  }
}

export const IDEMPOTENCY_KEY_HEADER = 'idempotency-key';
export const REPLAYED_HEADER = 'idempotent-replayed';
/** 1..200 printable ASCII characters (space included; HTTP trims it at the ends). */
const KEY_FORMAT = /^[\x20-\x7e]{1,200}$/;

export interface IdempotencyPluginOptions {
  service: IdempotencyService;
}

/** The key of an idempotent request, null when it has none; a malformed key is a 400. */
export function idempotencyKeyOf(request: FastifyRequest): string | null {
  const raw = request.headers[IDEMPOTENCY_KEY_HEADER];
  if (raw === undefined) return null;
  if (typeof raw !== 'string' || !KEY_FORMAT.test(raw)) {
    const message = 'the Idempotency-Key header must be 1..200 printable ASCII characters';
    throw new CraftError('VALIDATION_FAILED', message, {
      errors: [{ path: 'header/Idempotency-Key', code: 'format', message }],
    });
  }
  return raw;
}

/**
 * Idempotency keys for the operations whose spec declares the `Idempotency-Key`
 * header (route config `idempotent`; other operations ignore the header). After
 * validation the request claims (caller, key) or gets the stored answer; when the
 * claimed request's response is sent, its status, content type and exact body text
 * are stored (2xx and 4xx) or the claim is released (5xx). Replays carry
 * `Idempotent-Replayed: true`. Registered on the root instance (no encapsulation),
 * before the routes.
 */
const plugin: FastifyPluginAsync<IdempotencyPluginOptions> = async (app, { service }) => {
  registerCallerIdentity(app);
  app.decorateRequest('idempotencyClaim', null);

  // preHandler: after authentication (onRequest) and body validation, so only a
  // request that reaches its handler claims a key.
  app.addHook('preHandler', async (request, reply) => {
    if (request.routeOptions.config?.idempotent !== true) return;
    const key = idempotencyKeyOf(request);
    if (key === null) return;
    const path = request.routeOptions.url ?? request.url.split('?')[0]!;
    const decision = await service.begin({
      callerKey: callerKeyOf(request),
      key,
      requestHash: requestHash(request.method, path, request.body),
    });
    if (decision.kind === 'execute') {
      request.idempotencyClaim = decision.claim;
      return;
    }
    const { status, contentType, body } = decision.response;
    request.log.info({ status }, 'idempotent replay');
    reply.code(status).header(REPLAYED_HEADER, 'true');
    if (contentType) reply.header('content-type', contentType);
    // A string with a JSON content type is sent as is: the stored text, byte for byte.
    return reply.send(body === '' && !contentType ? undefined : body);
  });

  app.addHook('onSend', async (request, reply, payload) => {
    const claim = request.idempotencyClaim;
    if (!claim) return payload;
    request.idempotencyClaim = null;
    const body = payloadText(payload);
    if (body === null) {
      request.log.error('an idempotent response that is not text cannot be stored; the key is released');
      await service.abandon(claim);
    } else {
      // Awaited: once the caller has the answer, a retry finds it stored.
      await service.finish(claim, { status: reply.statusCode, contentType: headerText(reply.getHeader('content-type')), body });
    }
    return payload;
  });

  // A claimed request that ended without passing onSend (it should not happen) frees its key.
  app.addHook('onResponse', async (request) => {
    const claim = request.idempotencyClaim;
    if (!claim) return;
    request.idempotencyClaim = null;
    await service.abandon(claim);
  });
};

// Hooks and decorations apply to the whole app, as fastify-plugin would arrange.
(plugin as unknown as Record<symbol, unknown>)[Symbol.for('skip-override')] = true;
(plugin as unknown as Record<symbol, unknown>)[Symbol.for('fastify.display-name')] = 'idempotency';

export const idempotencyPlugin = plugin;

function payloadText(payload: unknown): string | null {
  if (payload === undefined || payload === null) return '';
  if (typeof payload === 'string') return payload;
  if (Buffer.isBuffer(payload)) {
    const text = payload.toString('utf8');
    return Buffer.from(text, 'utf8').equals(payload) ? text : null;
  }
  return null;
}

function headerText(value: ReturnType<FastifyReply['getHeader']>): string {
  if (value === undefined) return '';
  return Array.isArray(value) ? value.join(', ') : String(value);
}
