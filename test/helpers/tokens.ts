import { SignJWT } from 'jose';

/** The secret every test harness verifies with (HS256). */
export const TEST_JWT_SECRET = 'test-secret-0123456789-abcdef';

/** The subject of the harness's default token: the caller that owns its idempotency keys. */
export const TEST_CALLER = 'test-admin';

export interface TokenClaims {
  sub?: string;
  roles?: string[];
  gameServices?: string[] | '*';
  /** Seconds from now; negative = already expired. Default one hour. */
  expiresInSeconds?: number;
  secret?: string;
}

/** Mints a test token; by default an all-powerful one (admin, every game service). */
export async function mintToken(claims: TokenClaims = {}): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT({ roles: claims.roles ?? ['admin'], gameServices: claims.gameServices ?? '*' })
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject(claims.sub ?? TEST_CALLER)
    .setIssuedAt(now - 60)
    .setExpirationTime(now + (claims.expiresInSeconds ?? 3600))
    .sign(new TextEncoder().encode(claims.secret ?? TEST_JWT_SECRET));
}

export const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
