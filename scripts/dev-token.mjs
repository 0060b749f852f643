#!/usr/bin/env node
// Mints a development token for lib-craft, signed HS256 with CRAFT_AUTH_JWT_SECRET
// (default: the development secret of docker compose and scripts/dev.sh).
//
//   npm run --silent dev:token -- [--roles developer,service] [--game-services '*' | id,id]
//                                 [--sub dev-user] [--expires-in 8h]
//
// Prints the token only, so: TOKEN=$(npm run --silent dev:token -- --roles admin)
// Honours CRAFT_AUTH_ISSUER / CRAFT_AUTH_AUDIENCE when set. Development only.
import { parseArgs } from 'node:util';
import { mintDevToken } from './lib/dev-token.mjs';

const ROLES = ['developer', 'admin', 'service', 'contract-service'];
const { values } = parseArgs({
  options: {
    roles: { type: 'string', default: 'developer,service' },
    'game-services': { type: 'string', default: '*' },
    sub: { type: 'string', default: 'dev-user' },
    'expires-in': { type: 'string', default: '8h' },
    help: { type: 'boolean', short: 'h', default: false },
  },
});
if (values.help) {
  process.stdout.write("usage: npm run --silent dev:token -- [--roles developer,service] [--game-services '*'|id,id] [--sub dev-user] [--expires-in 8h]\n");
  process.exit(0);
}
const roles = values.roles.split(',').map((r) => r.trim()).filter(Boolean);
const unknown = roles.filter((r) => !ROLES.includes(r));
if (unknown.length > 0) {
  process.stderr.write(`dev-token: unknown role(s) ${unknown.join(', ')} (known: ${ROLES.join(', ')})\n`);
  process.exit(2);
}
const gs = values['game-services'].trim();
const gameServices = gs === '*' ? '*' : gs.split(',').map((g) => g.trim()).filter(Boolean);
process.stdout.write(`${await mintDevToken({ roles, gameServices, sub: values.sub, expiresIn: values['expires-in'] })}\n`);
