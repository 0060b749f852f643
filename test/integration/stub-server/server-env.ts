// The stub server's app over the worker's database, and a fake lib-craft that records the
// contract's prebound calls (a tiny Fastify server on a free port).
import Fastify, { type FastifyInstance } from 'fastify';
import { decodeJwt } from 'jose';
import { buildStubApp, type StubApp } from '../../../src/stub-server/app.js';
import { createCraftCallback, type CraftCallbackOptions } from '../../../src/stub-server/craft-callback.js';
import { startStubs, type StubEnv } from '../stubs/stub-env.js';

export interface FakeCraft {
  url: string;
  calls: { path: string; body: Record<string, unknown>; authorization: string | undefined }[];
  /** Answers every call with this status (default 200). */
  status: number;
  close(): Promise<void>;
}

export async function startFakeCraft(): Promise<FakeCraft> {
  const app: FastifyInstance = Fastify({ logger: false });
  const fake: FakeCraft = {
    url: '',
    calls: [],
    status: 200,
    close: () => app.close(),
  };
  app.post('/*', async (request, reply) => {
    fake.calls.push({ path: request.url, body: request.body as Record<string, unknown>, authorization: request.headers.authorization });
    return reply.code(fake.status).send({ ok: fake.status < 400 });
  });
  const address = await app.listen({ host: '127.0.0.1', port: 0 });
  fake.url = address;
  return fake;
}

/** The claims of a Bearer header (not verified: the fake only records them). */
export const claimsOf = (authorization: string | undefined) => decodeJwt(authorization!.replace(/^Bearer /, ''));

export interface ServerEnv extends StubApp {
  env: StubEnv;
  post(path: string, body: unknown, headers?: Record<string, string>): Promise<{ status: number; body: any }>;
  close(): Promise<void>;
}

export async function startServer(opts: { authJwtSecret?: string; craft?: Partial<CraftCallbackOptions> } = {}): Promise<ServerEnv> {
  const env = await startStubs({
    invokePrebound: createCraftCallback({ baseUrls: [], token: null, jwtSecret: null, timeoutMs: 5_000, ...opts.craft }),
    awaitPrebound: false,
  });
  const built = buildStubApp({
    stubs: env.stubs,
    authJwtSecret: opts.authJwtSecret ?? null,
    readiness: { database: async () => void (await env.prisma.$queryRaw`SELECT 1`) },
  });
  await built.app.ready();
  return {
    ...built,
    env,
    post: async (path, body, headers = {}) => {
      const res = await built.app.inject({
        method: 'POST',
        url: path,
        headers: { 'content-type': 'application/json', ...headers },
        payload: typeof body === 'string' ? body : JSON.stringify(body),
      });
      return { status: res.statusCode, body: res.body === '' ? undefined : res.json() };
    },
    close: async () => {
      await built.app.close();
      await env.contract.whenIdle();
      await env.close();
    },
  };
}
