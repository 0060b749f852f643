// A small JSON client for seeding and checks (the measured load goes through autocannon),
// and the bearer tokens, minted like scripts/dev-token.mjs does.
import { Buffer } from 'node:buffer';
import { SignJWT } from 'jose';
import { config } from './config.js';

export async function mintToken(roles: string[], gameServices: string[] | '*', sub: string): Promise<string> {
  return new SignJWT({ roles, gameServices })
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject(sub)
    .setIssuedAt()
    .setExpirationTime('8h')
    .sign(new Uint8Array(Buffer.from(config.jwtSecret, 'utf8')));
}

export class ApiError extends Error {
  constructor(
    readonly path: string,
    readonly status: number,
    readonly body: unknown,
  ) {
    super(`${path} answered ${status}: ${JSON.stringify(body).slice(0, 500)}`);
  }
}

export class Api {
  constructor(
    readonly base: string,
    private token: string,
  ) {}

  withToken(token: string): Api {
    return new Api(this.base, token);
  }

  async post<T = Record<string, unknown>>(path: string, body: unknown): Promise<T> {
    const res = await fetch(`${this.base}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${this.token}` },
      body: JSON.stringify(body),
    });
    const text = await res.text();
    let parsed: unknown = text;
    try {
      parsed = JSON.parse(text);
    } catch {
      // not JSON
    }
    if (res.status !== 200) throw new ApiError(path, res.status, parsed);
    return parsed as T;
  }

  async get<T = Record<string, unknown>>(path: string): Promise<{ status: number; body: T }> {
    const res = await fetch(`${this.base}${path}`);
    const text = await res.text();
    return { status: res.status, body: (text ? JSON.parse(text) : null) as T };
  }
}

/** The outbox backlog as /readyz reports it (null when the service does not answer). */
export async function outboxPending(base: string): Promise<{ pending: number; oldestMs: number | null } | null> {
  try {
    const res = await fetch(`${base}/readyz`);
    const body = (await res.json()) as { outbox?: { pending?: number; oldestMs?: number | null } };
    if (typeof body.outbox?.pending !== 'number') return null;
    return { pending: body.outbox.pending, oldestMs: body.outbox.oldestMs ?? null };
  } catch {
    return null;
  }
}
