import type { FastifyBaseLogger } from 'fastify';
import type { operations } from '../generated/craft-api.js';
import type { Scope } from '../services/scope.js';
import type { Services } from '../services/services.js';

export type OperationId = keyof operations;

type JsonBody<T> = T extends { content: { 'application/json': infer B } } ? B : never;

export type RequestBody<K extends OperationId> = operations[K] extends { requestBody: infer R }
  ? JsonBody<NonNullable<R>>
  : never;

export type ResponseBody<K extends OperationId> = operations[K] extends { responses: { 200: infer R } }
  ? JsonBody<R>
  : never;

/** What a handler knows about the request besides its body. */
export interface RequestContext {
  requestId: string;
  log: FastifyBaseLogger;
  /** The game services the caller may touch (from its token): every service call takes it. */
  scope: Scope;
}

export type Handler<K extends OperationId> = (
  body: RequestBody<K>,
  ctx: RequestContext,
) => Promise<ResponseBody<K>>;

/** One handler per operationId of the spec: a missing or extra one is a compile error. */
export type Handlers = { [K in OperationId]: Handler<K> };

/** A route file exports one of these: it picks the service method the operation calls. */
export type Route<K extends OperationId> = (services: Services) => Handler<K>;
