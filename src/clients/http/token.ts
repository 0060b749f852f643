import { SignJWT } from 'jose';
import type { TokenSource } from './transport.js';

const LIFETIME_SECONDS = 600;

/**
 * The bearer token lib-craft's outgoing calls carry: a fixed token (CRAFT_NEIGHBOUR_TOKEN,
 * e.g. one the platform's auth service issued), or a short-lived HS256 service token it signs
 * itself (CRAFT_NEIGHBOUR_JWT_SECRET: `sub` lib-craft, `roles` [service]), signed again when
 * half of its life is gone. Neither: calls carry no token.
 */
export function tokenSource(settings: { token?: string; jwtSecret?: string }): TokenSource {
  if (settings.token) {
    const token = settings.token;
    return async () => token;
  }
  if (!settings.jwtSecret) return async () => null;
  const key = new TextEncoder().encode(settings.jwtSecret);
  let current: { token: string; renewAt: number } | null = null;
  let signing: Promise<string> | null = null;
  return async () => {
    if (current && Date.now() < current.renewAt) return current.token;
    signing ??= new SignJWT({ roles: ['service'], gameServices: '*' })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject('lib-craft')
      .setIssuedAt()
      .setExpirationTime(`${LIFETIME_SECONDS}s`)
      .sign(key)
      .then((token) => {
        current = { token, renewAt: Date.now() + (LIFETIME_SECONDS * 1000) / 2 };
        return token;
      })
      .finally(() => {
        signing = null;
      });
    return signing;
  };
}
