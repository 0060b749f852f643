import type { FastifyInstance, FastifyRequest } from 'fastify';
import { BoundedMap } from './bounded-map.js';
import { rememberOwners } from './owner-cache.js';
import { createRemoteJWKSet, jwtVerify, type JWTPayload, type JWTVerifyGetKey } from 'jose';
import { CraftError, type ErrorCode } from '../domain/errors.js';

/**
 * Bearer-token authentication and role / game-service authorisation for every spec route.
 *
 * Roles (claim `roles`) follow each operation's `x-permissions`:
 * - `admin` may call every operation;
 * - `developer` may call `developer` operations and also every `service` operation;
 * - `service` may call `service` operations;
 * - `contract-service` may call only `contract-service` operations (`completeSession`).
 *
 * Game services (claim `gameServices`: a list of ids, or `'*'` for all): a request whose body names
 * another game service (`gameServiceId`) answers as if it did not exist (the operation's 404 code,
 * or GAME_SERVICE_NOT_FOUND when it has none), and a read whose answer belongs to another game
 * service answers the operation's 404 code. Never 403: existence is not revealed.
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

export function mayTouch(caller: Caller | null, gameServiceId: string): boolean {
  if (!caller || caller.gameServices === '*') return true;
  return caller.gameServices.includes(gameServiceId);
}

/** Which game service owns a resource addressed by id (null: no such resource). */
export interface OwnerLookup {
  recipe(id: string): Promise<string | null>;
  session(id: string): Promise<string | null>;
  station(id: string): Promise<string | null>;
}

const BY_ID = [
  ['recipeId', 'recipe', 'RECIPE_NOT_FOUND'],
  ['sessionId', 'session', 'SESSION_NOT_FOUND'],
  ['stationId', 'station', 'STATION_NOT_FOUND'],
] as const;

interface RouteAuthConfig {
  operationId?: string;
  permissions?: string[];
  idempotent?: boolean;
  notFoundCode?: string;
}

function keyFor(settings: Extract<AuthSettings, { disabled: false }>): Uint8Array | JWTVerifyGetKey {
  if (settings.jwtSecret) return new TextEncoder().encode(settings.jwtSecret);
  if (settings.jwksUrl) return createRemoteJWKSet(new URL(settings.jwksUrl));
  throw new Error('auth needs CRAFT_AUTH_JWT_SECRET or CRAFT_AUTH_JWKS_URL');
}

function callerFrom(payload: JWTPayload): Caller {
  const roles = (payload as { roles?: unknown }).roles;
  const gameServices = (payload as { gameServices?: unknown }).gameServices;
  if (typeof payload.sub !== 'string' || payload.sub === '') throw new Error('token has no sub');
  if (!Array.isArray(roles) || !roles.every((r) => typeof r === 'string')) throw new Error('token roles must be a string array');
  const scoped =
    gameServices === '*'
      ? '*'
      : Array.isArray(gameServices) && gameServices.every((g) => typeof g === 'string')
        ? (gameServices as string[])
        : null;
  if (scoped === null) throw new Error("token gameServices must be a string array or '*'");
  return { id: payload.sub, roles: roles as string[], gameServices: scoped };
}

function notFound(config: RouteAuthConfig): CraftError {
  const code = (config.notFoundCode ?? 'GAME_SERVICE_NOT_FOUND') as ErrorCode;
  const what = code.replace(/_NOT_FOUND$/, '').toLowerCase().replace(/_/g, ' ');
  return new CraftError(code, `${what} not found`);
}

/** The game service ids an answer belongs to: the body itself or its top-level objects. */
function ownersOf(payload: unknown): string[] {
  if (!payload || typeof payload !== 'object') return [];
  const owners: string[] = [];
  const visit = (o: unknown) => {
    const id = (o as { gameServiceId?: unknown } | null)?.gameServiceId;
    if (typeof id === 'string') owners.push(id);
  };
  visit(payload);
  for (const v of Object.values(payload)) if (v && typeof v === 'object' && !Array.isArray(v)) visit(v);
  return owners;
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
export function registerAuth(app: FastifyInstance, settings: AuthSettings, owners?: OwnerLookup) {
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

  // Tenants apart, in one place: a body naming another game service answers not found.
  app.addHook('preValidation', async (request) => {
    const config = routeConfig(request);
    if (!config.permissions || !request.caller) return;
    const id = (request.body as { gameServiceId?: unknown } | undefined)?.gameServiceId;
    if (typeof id === 'string' && !mayTouch(request.caller, id)) throw notFound(config);
  });

  // A recipe, session or station addressed by id that belongs to another game service is not
  // found, for every operation (reads and writes), before anything runs. Only scoped callers pay.
  if (owners) {
    const lookup = rememberOwners(owners);
    app.addHook('preHandler', async (request) => {
      const caller = request.caller;
      if (!routeConfig(request).permissions || !caller || caller.gameServices === '*') return;
      const body = request.body as Record<string, unknown> | undefined;
      for (const [field, kind, code] of BY_ID) {
        const id = body?.[field];
        if (typeof id !== 'string') continue;
        const owner = await lookup[kind](id);
        if (owner !== null && !mayTouch(caller, owner)) throw new CraftError(code, `${kind} ${id} not found`);
      }
    });
  }

  // Reads: an answer owned by another game service becomes not found; list pages drop its items.
  app.addHook('preSerialization', async (request, reply, payload: unknown) => {
    const config = routeConfig(request);
    const caller = request.caller;
    if (!config.permissions || !caller || caller.gameServices === '*' || config.idempotent || reply.statusCode >= 300) return payload;
    if (config.notFoundCode && ownersOf(payload).some((g) => !mayTouch(caller, g))) throw notFound(config);
    const page = payload as { items?: unknown; totalCount?: unknown } | null;
    if (page && Array.isArray(page.items)) {
      const items = page.items.filter((item) => ownersOf(item).every((g) => mayTouch(caller, g)));
      const dropped = page.items.length - items.length;
      if (dropped > 0) {
        return { ...page, items, ...(typeof page.totalCount === 'number' && { totalCount: Math.max(0, page.totalCount - dropped) }) };
      }
    }
    return payload;
  });
}
