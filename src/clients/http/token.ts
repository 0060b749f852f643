import { SignJWT } from 'jose';

/** The bearer token a call to `audience` (a neighbour's name) carries; null: none. */
export type TokenSource = (audience: string) => Promise<string | null>;

/** Who the signer says it is. */
export interface SignedClaims {
  sub: string;
  roles: readonly string[];
  gameServices: readonly string[] | '*';
  iss?: string;
}

/** The issuer of the tokens lib-craft signs for its neighbours; lib-craft itself never accepts them. */
export const OUTGOING_ISSUER = 'lib-craft';
const LIB_CRAFT_CLAIMS: SignedClaims = { sub: 'lib-craft', roles: ['service'], gameServices: '*', iss: OUTGOING_ISSUER };
const LIFETIME_SECONDS = 600;

/**
 * Bearer tokens for outgoing calls: a fixed token (e.g. one the platform's auth service
 * issued), or short-lived HS256 tokens signed with `jwtSecret` carrying `claims` and the
 * callee as audience, one per audience, signed again when half of their life is gone.
 * Neither: calls carry no token.
 */
export function tokenSource(settings: { token?: string | null; jwtSecret?: string | null }, claims: SignedClaims = LIB_CRAFT_CLAIMS): TokenSource {
  if (settings.token) {
    const token = settings.token;
    return async () => token;
  }
  if (!settings.jwtSecret) return async () => null;
  const key = new TextEncoder().encode(settings.jwtSecret);
  const current = new Map<string, { token: string; renewAt: number }>();
  const signing = new Map<string, Promise<string>>();
  return async (audience) => {
    const held = current.get(audience);
    if (held && Date.now() < held.renewAt) return held.token;
    let pending = signing.get(audience);
    if (!pending) {
      const jwt = new SignJWT({ roles: [...claims.roles], gameServices: claims.gameServices === '*' ? '*' : [...claims.gameServices] })
        .setProtectedHeader({ alg: 'HS256' })
        .setSubject(claims.sub)
        .setAudience(audience)
        .setIssuedAt()
        .setExpirationTime(`${LIFETIME_SECONDS}s`);
      if (claims.iss) jwt.setIssuer(claims.iss);
      pending = jwt
        .sign(key)
        .then((token) => {
          current.set(audience, { token, renewAt: Date.now() + (LIFETIME_SECONDS * 1000) / 2 });
          return token;
        })
        .finally(() => signing.delete(audience));
      signing.set(audience, pending);
    }
    return pending;
  };
}
