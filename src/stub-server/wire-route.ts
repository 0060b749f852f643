// How a WIRE route is declared: a light check of the body's required fields (zod), then one
// stub call. Unknown fields pass through to the stub, which checks the rest itself.
import { z } from 'zod';
import type { WIRE } from '../clients/http/wire.js';
import { ClientError } from '../clients/errors.js';

/** Handles one call: the parsed JSON body in, the response body out. */
export type WireHandler = (body: unknown) => Promise<unknown>;

/** One handler per operation of a neighbour: a missing or misspelt one is a compile error. */
export type Handlers<N extends keyof typeof WIRE> = Record<keyof (typeof WIRE)[N], WireHandler>;

type Shape = z.core.$ZodLooseShape;
type Input<S extends Shape> = z.output<z.ZodObject<S, z.core.$loose>>;

const SERVER = 'stub-server';
/** Every keyed call's `idempotencyKey`. */
const IDEMPOTENCY_KEY = z.string().min(1).max(200);

// Field types shared by the route modules.
export const id = z.string().min(1).max(200);
export const text = z.string().max(10_000);
export const num = z.number();
export const int = z.number().int().min(-2_147_483_648).max(2_147_483_647);
export const object = z.record(z.string(), z.unknown());
/** An ISO 8601 time a DATETIME column can hold (years 1000-9999). */
export const isoTime = z.string().refine((v) => {
  const year = new Date(v).getUTCFullYear();
  return year >= 1000 && year <= 9999;
}, 'must be an ISO 8601 time (years 1000-9999)');

/** A body that is not what the route needs: 400 `invalid`, naming the fields. */
function parse<S extends Shape>(shape: S, body: unknown): Input<S> {
  const parsed = z.looseObject(shape).safeParse(body);
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues.slice(0, 5).map((i) => `${i.path.length > 0 ? i.path.join('.') : 'body'}: ${i.message}`);
  throw new ClientError(SERVER, 'invalid', `invalid request body: ${problems.join('; ')}`);
}

/** An unkeyed call (a read, or an admin call without a key). */
export function call<S extends Shape>(shape: S, run: (input: Input<S>) => Promise<unknown>): WireHandler {
  return (body) => run(parse(shape, body));
}

/** A mutating call: `idempotencyKey` is required, taken out of the body and passed on. */
export function keyed<S extends Shape>(shape: S, run: (input: Input<S>, idempotencyKey: string) => Promise<unknown>): WireHandler {
  return async (body) => {
    const { idempotencyKey, ...input } = parse({ ...shape, idempotencyKey: IDEMPOTENCY_KEY }, body) as Input<S> & { idempotencyKey: string };
    return run(input as Input<S>, idempotencyKey);
  };
}

/** A getter's result, or 404 `not_found` when the stub knows nothing of it. */
export function found<T>(service: string, what: string, value: T | null): T {
  if (value === null) throw new ClientError(service, 'not_found', `${what} not found`);
  return value;
}

/** The body of a call that returns nothing. */
export const done = async (work: Promise<unknown>): Promise<Record<string, never>> => {
  await work;
  return {};
};
