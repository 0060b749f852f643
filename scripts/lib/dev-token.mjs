// A development token for lib-craft, signed HS256 with CRAFT_AUTH_JWT_SECRET (default: the
// development secret of docker compose and scripts/dev.sh). Development only.
import { Buffer } from 'node:buffer';
import { SignJWT } from 'jose';

export async function mintDevToken({ roles, gameServices, sub, expiresIn = '8h' }) {
  const secret = process.env.CRAFT_AUTH_JWT_SECRET || 'dev-secret-change-me';
  let jwt = new SignJWT({ roles, gameServices }).setProtectedHeader({ alg: 'HS256' }).setSubject(sub).setIssuedAt().setExpirationTime(expiresIn);
  if (process.env.CRAFT_AUTH_ISSUER) jwt = jwt.setIssuer(process.env.CRAFT_AUTH_ISSUER);
  if (process.env.CRAFT_AUTH_AUDIENCE) jwt = jwt.setAudience(process.env.CRAFT_AUTH_AUDIENCE);
  return jwt.sign(new Uint8Array(Buffer.from(secret, 'utf8')));
}
