import type { FastifyInstance, FastifyRequest } from 'fastify';
import { BoundedMap } from './bounded-map.js';
import { createRemoteJWKSet, jwtVerify, type JWTPayload, type JWTVerifyGetKey } from 'jose';
import { CraftError } from '../domain/errors.js';
import { Scope } from '../services/scope.js';
import { canonicalUuid } from './openapi/canonical-ids.js';
import { OUTGOING_ISSUER } from '../clients/http/token.js';

/**
 * Bearer-token authentication and role / game-service authorisation for every spec route.
 *
 * Roles (claim `roles`) follow each operation's `x-permissions`:
 * - `admin` may call every operation;
 * - `developer` may call `developer` operations and also every `service` operation;
 * - `service` may call `service` operations;
 * - `contract-service` may call only `contract-service` operations (`completeSession`).
 *
 * Game services (claim `gameServices`: a list of ids, or `'*'` for all) become the request's
 * `Scope`, which every service operation receives and applies to its queries and to its calls
 * to other services (docs/adr/0008-tenancy-in-the-data-layer.md): a resource of another game
 * service answers exactly as a missing one. Nothing is filtered here.
 */

export type AuthSettings =
  | { disabled: true }
  | { disabled: false; jwtSecret?: string; jwksUrl?: string; issuer?: string; audience?: string };

export const ROLES = ['developer', 'admin', 'service', 'contract-service'] as const;

export interface Caller {
  id: string;
  roles: string[];
  /** Game service ids the caller may touch; '*' = all. */
  gameServices: string[] | '*';
}

declare module 'fastify' {
  interface FastifyRequest {
    /** The authenticated caller (null on routes outside the spec, or before authentication). */
    caller: Caller | null;
  }
}

/** With auth disabled every request acts as this caller. */
export const UNRESTRICTED_CALLER: Caller = { id: 'anonymous', roles: ['admin'], gameServices: '*' };

/** Whether `roles` may call an operation allowed to `permissions`. */
export function mayCall(roles: readonly string[], permissions: readonly string[]): boolean {
  if (roles.includes('admin')) return true;
  return permissions.some((p) => roles.includes(p) || (p === 'service' && roles.includes('developer')));
}

/** The scope a caller acts in; no caller (a route outside the spec) may touch nothing. */
export function scopeOf(caller: Caller | null): Scope {
  if (!caller) return Scope.of([]);
  return caller.gameServices === '*' ? Scope.all : Scope.of(caller.gameServices);
}

interface RouteAuthConfig {
  operationId?: string;
  permissions?: string[];
}

function keyFor(settings: Extract<AuthSettings, { disabled: false }>): Uint8Array | JWTVerifyGetKey {
  if (settings.jwtSecret) return new TextEncoder().encode(settings.jwtSecret);
  if (settings.jwksUrl) return createRemoteJWKSet(new URL(settings.jwksUrl));
  throw new Error('auth needs CRAFT_AUTH_JWT_SECRET or CRAFT_AUTH_JWKS_URL');
}

function callerFrom(payload: JWTPayload): Caller {
  // lib-craft's own calls to its neighbours carry tokens it signed; they are never a way in here.
  if (payload.iss === OUTGOING_ISSUER) throw new Error('a token lib-craft signed for its neighbours is not accepted here');
  const roles = (payload as { roles?: unknown }).roles;
  const gameServices = (payload as { gameServices?: unknown }).gameServices;
  if (typeof payload.sub !== 'string' || payload.sub === '') throw new Error('token has no sub');
  if (!Array.isArray(roles) || !roles.every((r) => typeof r === 'string')) throw new Error('token roles must be a string array');
  const scoped =
    gameServices === '*'
      ? '*'
      : Array.isArray(gameServices) && gameServices.every((g) => typeof g === 'string')
        ? (gameServices as string[]).map(canonicalUuid)
        : null;
  if (scoped === null) throw new Error("token gameServices must be a string array or '*'");
  return { id: payload.sub, roles: roles as string[], gameServices: scoped };
}

/**
 * Tokens already verified, by their exact text (signature included), until they expire (at
 * most a minute for a token without `exp`): a game server sends the same token with every
 * request, and checking its signature each time was a measurable share of a cached read.
 * Bounded: when full, the oldest half is dropped.
 */
class VerifiedTokens {
  private readonly entries = new BoundedMap<string, { caller: Caller; until: number }>(10_000);

  get(token: string): Caller | undefined {
    const hit = this.entries.get(token);
    if (!hit) return undefined;
    if (hit.until > Date.now()) return hit.caller;
    this.entries.delete(token);
    return undefined;
  }

  put(token: string, verified: { payload: JWTPayload }): Caller {
    const caller = callerFrom(verified.payload);
    const exp = typeof verified.payload.exp === 'number' ? verified.payload.exp * 1000 : Number.POSITIVE_INFINITY;
    this.entries.set(token, { caller, until: Math.min(exp, Date.now() + 60_000) });
    return caller;
  }
}

/**
 * Registers the hooks on the root instance (so they run before route-level hooks such as the
 * rate limit, which then keys on the caller). Routes without `config.permissions` (probes,
 * metrics, docs, the OpenAPI document) are not authenticated.
 */
export function registerAuth(app: FastifyInstance, settings: AuthSettings) {
  if (!app.hasRequestDecorator('caller')) app.decorateRequest('caller', null);
  const routeConfig = (request: FastifyRequest) => request.routeOptions.config as RouteAuthConfig;

  if (settings.disabled) {
    app.log.warn('authentication is DISABLED (CRAFT_AUTH_DISABLED=true): every caller may do everything; never run like this in production');
    app.addHook('onRequest', async (request) => {
      if (routeConfig(request).permissions) request.caller = UNRESTRICTED_CALLER;
    });
    return;
  }

  const key = keyFor(settings);
  const verified = new VerifiedTokens();
  const verifyOptions = {
    ...(settings.issuer && { issuer: settings.issuer }),
    ...(settings.audience && { audience: settings.audience }),
    ...(settings.jwtSecret && { algorithms: ['HS256'] }),
  };

  app.addHook('onRequest', async (request) => {
    const config = routeConfig(request);
    if (!config.permissions) return;
    const header = request.headers.authorization;
    const match = typeof header === 'string' ? /^Bearer\s+(\S+)\s*$/i.exec(header) : null;
    if (!match) throw new CraftError('UNAUTHORIZED', 'a Bearer token is required (authorization: Bearer <jwt>)');
    let caller: Caller;
    try {
      caller = verified.get(match[1]!) ?? verified.put(match[1]!, await jwtVerify(match[1]!, key as Uint8Array, verifyOptions));
    } catch (err) {
      // The reason only: never the token itself.
      request.log.info({ reason: (err as Error).message }, 'token rejected');
      throw new CraftError('UNAUTHORIZED', 'the Bearer token is invalid or expired');
    }
    request.caller = caller;
    request.callerId = caller.id;
    if (!mayCall(caller.roles, config.permissions)) {
      throw new CraftError('FORBIDDEN', `operation ${config.operationId ?? ''} needs one of the roles [${config.permissions.join(', ')}]`, {
        requiredRoles: config.permissions,
      });
    }
  });
}
