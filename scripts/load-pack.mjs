#!/usr/bin/env node
// Loads a pack from packs/ into a running lib-craft (one command):
//
//   npm run pack:load -- <pack> [--game-service <id>] [--url http://127.0.0.1:3000]
//   npm run pack:load -- --list
//
// Without --game-service, a new game service is registered (standalone mode). The token is
// $CRAFT_TOKEN, else a development token minted like `npm run dev:token` (developer + service,
// every game service). Prints what was loaded and the ids a walk needs, as JSON.
import { parseArgs } from 'node:util';
import { loadPack, packNames, readPack } from './lib/packs.mjs';
import { mintDevToken } from './lib/dev-token.mjs';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    'game-service': { type: 'string' },
    url: { type: 'string', default: process.env.CRAFT_URL ?? 'http://127.0.0.1:3000' },
    list: { type: 'boolean', default: false },
    help: { type: 'boolean', short: 'h', default: false },
  },
});
const usage = 'usage: npm run pack:load -- <pack> [--game-service <id>] [--url http://127.0.0.1:3000] | --list\n';
if (values.help) {
  process.stdout.write(usage);
  process.exit(0);
}
if (values.list) {
  for (const name of await packNames()) {
    const p = await readPack(name);
    process.stdout.write(`${name.padEnd(14)} seed ${p.seed}  ${p.title ?? ''}\n`);
  }
  process.exit(0);
}
const name = positionals[0];
if (!name) {
  process.stderr.write(usage);
  process.exit(2);
}

const token = process.env.CRAFT_TOKEN || (await mintDevToken({ roles: ['developer', 'service', 'admin'], gameServices: '*', sub: 'pack-loader' }));
async function post(path, body) {
  let res;
  try {
    res = await fetch(new URL(path, values.url), {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify(body),
    });
  } catch (err) {
    process.stderr.write(`pack:load: cannot reach lib-craft at ${values.url} (${err.cause?.code ?? err.message}); is it running (npm run dev)?\n`);
    process.exit(1);
  }
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : undefined };
}

let pack;
try {
  pack = await readPack(name);
} catch (err) {
  process.stderr.write(`pack:load: no pack "${name}" (${err.message}); known: ${(await packNames()).join(', ')}\n`);
  process.exit(2);
}
let gameServiceId = values['game-service'];
if (!gameServiceId) {
  const res = await post('/dev/game-service/register', { stubName: `${name}-${Date.now().toString(36)}`, displayName: `${pack.title ?? name} (pack)` });
  if (res.status !== 200) {
    process.stderr.write(`pack:load: registering a game service failed (${res.status} ${JSON.stringify(res.body)}); give --game-service <id>\n`);
    process.exit(1);
  }
  gameServiceId = res.body.gameService.serviceId;
}
try {
  const loaded = await loadPack({ pack, gameServiceId, post });
  process.stdout.write(`${JSON.stringify({ pack: name, gameServiceId, ...loaded }, null, 2)}\n`);
} catch (err) {
  process.stderr.write(`pack:load: ${err.message}\n`);
  process.exit(1);
}
