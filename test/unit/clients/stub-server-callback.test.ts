// The contract's prebound call to lib-craft: failover over the instances, and its token.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { decodeJwt, jwtVerify } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearerSource, createCraftCallback } from '../../../src/stub-server/craft-callback.js';

interface Fake {
  url: string;
  status: number;
  hits: { url: string; body: string; authorization: string | undefined }[];
  server: Server;
}

async function fake(status: number): Promise<Fake> {
  const f: Fake = { url: '', status, hits: [], server: createServer() };
  f.server.on('request', (req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      f.hits.push({ url: req.url ?? '', body, authorization: req.headers.authorization });
      res.writeHead(f.status, { 'content-type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((resolve) => f.server.listen(0, '127.0.0.1', resolve));
  f.url = `http://127.0.0.1:${(f.server.address() as AddressInfo).port}`;
  return f;
}

let up: Fake;
let down: Fake;
let refusing: Fake;
beforeAll(async () => {
  [up, down, refusing] = await Promise.all([fake(200), fake(503), fake(409)]);
});
afterAll(async () => {
  for (const f of [up, down, refusing]) await new Promise((resolve) => f.server.close(resolve));
});

const options = { token: 'tok', jwtSecret: null, timeoutMs: 2_000 };

describe('craft callback', () => {
  it('failover_5xxAndRefusedConnections_moveOnToTheNextInstance', async () => {
    const call = createCraftCallback({ ...options, baseUrls: ['http://127.0.0.1:9', down.url, up.url] });
    for (let i = 0; i < 3; i++) await call('/craft/internal/complete-session', { sessionId: `s${i}` });
    expect(up.hits.map((h) => JSON.parse(h.body).sessionId)).toEqual(['s0', 's1', 's2']);
    expect(up.hits.every((h) => h.url === '/craft/internal/complete-session' && h.authorization === 'Bearer tok')).toBe(true);
    // The rotating start: not every call began with the first instance.
    expect(down.hits.length).toBeLessThan(3);
  });

  it('everyInstanceFailing_orA4xx_throws', async () => {
    await expect(createCraftCallback({ ...options, baseUrls: [down.url, 'http://127.0.0.1:9'] })('/p', {})).rejects.toThrow(/no lib-craft instance/);
    await expect(createCraftCallback({ ...options, baseUrls: [refusing.url, up.url] })('/p', {})).rejects.toThrow(/409/);
    await expect(createCraftCallback({ ...options, baseUrls: [] })('/p', {})).rejects.toThrow(/STUBS_CRAFT_URL/);
  });

  it('bearerSource_mintsAContractServiceToken_reusedUntilNearExpiry', async () => {
    const secret = 'callback-secret-0123456789';
    const next = bearerSource({ token: null, jwtSecret: secret });
    const first = (await next())!;
    expect(await next()).toBe(first);
    const { payload } = await jwtVerify(first, new TextEncoder().encode(secret), { algorithms: ['HS256'] });
    expect(payload).toMatchObject({ sub: 'contract-service', roles: ['contract-service'], gameServices: '*' });
    expect(decodeJwt(first).exp! - decodeJwt(first).iat!).toBeGreaterThan(60);
    expect(await bearerSource({ token: null, jwtSecret: null })()).toBeNull();
  });
});
