import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ClientError } from '../../../../src/clients/errors.js';
import { HttpTransport, type CallSettings, type NeighbourObserver } from '../../../../src/clients/http/transport.js';
import { tokenSource } from '../../../../src/clients/http/token.js';
import { decodeJwt } from 'jose';

type Handler = (body: any, req: IncomingMessage, res: ServerResponse) => unknown;

/** A neighbour whose answer each test scripts; it counts the requests it received. */
let handler: Handler = (_b, _q, res) => res.end('{}');
const received: { path: string; body: any; authorization?: string }[] = [];
let server: Server;
let base: string;

beforeAll(async () => {
  server = createServer((req, res) => {
    let text = '';
    req.on('data', (c) => (text += c));
    req.on('end', () => {
      const body = JSON.parse(text || '{}');
      received.push({ path: req.url!, body, ...(req.headers.authorization && { authorization: req.headers.authorization }) });
      void handler(body, req, res);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));
afterEach(() => {
  received.length = 0;
});

const SETTINGS: CallSettings = { timeoutMs: 300, retries: 2, connections: 4, queue: 4, breakerFailures: 3, breakerHalfOpenMs: 60_000 };

function recorder() {
  const calls: string[] = [];
  const retries: string[] = [];
  const states: string[] = [];
  const observer: NeighbourObserver = {
    call: (_s, path, outcome) => calls.push(`${path}:${outcome}`),
    retry: (_s, path) => retries.push(path),
    breaker: (_s, state) => states.push(state),
  };
  return { observer, calls, retries, states };
}

function transport(settings: Partial<CallSettings> = {}, observer: NeighbourObserver | null = null, token: string | null = 'tok') {
  return new HttpTransport('item', `${base}/api/`, { ...SETTINGS, ...settings }, async () => token, observer);
}

function reply(status: number, body: unknown): Handler {
  return (_b, _q, res) => {
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body));
  };
}

async function failure(p: Promise<unknown>): Promise<ClientError> {
  const err = await p.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(ClientError);
  return err as ClientError;
}

describe('HttpTransport', () => {
  it('success_postsJsonUnderTheBasePath_withTheBearerToken', async () => {
    handler = reply(200, { instanceId: 'i-1' });
    const t = transport();
    expect(await t.call('/item/instance/get', { instanceId: 'i-1' }, { retryable: true })).toEqual({ instanceId: 'i-1' });
    expect(received).toEqual([{ path: '/api/item/instance/get', body: { instanceId: 'i-1' }, authorization: 'Bearer tok' }]);
    await t.close();
  });

  it('refusals_becomeTheirKinds_onceEach_neverRetried', async () => {
    const t = transport();
    for (const [status, kind] of [
      [400, 'invalid'],
      [404, 'not_found'],
      [409, 'conflict'],
      [422, 'insufficient_funds'],
    ] as const) {
      handler = reply(status, { code: kind, message: `refused with ${status}` });
      const err = await failure(t.call('/x', {}, { retryable: true }));
      expect([err.kind, err.message]).toEqual([kind, `item: refused with ${status}`]);
    }
    expect(received).toHaveLength(4);
    await t.close();
  });

  it('notFoundOnALookup_isNull', async () => {
    handler = reply(404, { code: 'not_found', message: 'no such instance' });
    const t = transport();
    expect(await t.call('/item/instance/get', {}, { retryable: true, nullOn404: true })).toBeNull();
    await t.close();
  });

  it('unauthorised_isUnavailable_notARefusalTheCallerCouldFix', async () => {
    handler = reply(401, { code: 'unauthorized', message: 'bad token' });
    const t = transport();
    const err = await failure(t.call('/x', {}, { retryable: true }));
    expect(err.kind).toBe('unavailable');
    expect(received).toHaveLength(1);
    await t.close();
  });

  it('serverErrors_retryableCall_isRetriedWithTheSameBody_thenSucceeds', async () => {
    let n = 0;
    handler = (_b, _q, res) => (n++ < 2 ? reply(503, { code: 'unavailable', message: 'busy' }) : reply(200, { ok: true }))(_b, _q, res);
    const r = recorder();
    const t = transport({}, r.observer);
    expect(await t.call('/keyed', { idempotencyKey: 'k-1' }, { retryable: true })).toEqual({ ok: true });
    expect(received.map((x) => x.body)).toEqual([{ idempotencyKey: 'k-1' }, { idempotencyKey: 'k-1' }, { idempotencyKey: 'k-1' }]);
    expect(r.retries).toEqual(['/keyed', '/keyed']);
    expect(r.calls).toEqual(['/keyed:ok']);
    await t.close();
  });

  it('serverError_callWithoutAKey_isSentOnce', async () => {
    handler = reply(500, { code: 'internal', message: 'boom' });
    const t = transport();
    const err = await failure(t.call('/unkeyed', {}, { retryable: false }));
    expect(err.kind).toBe('unavailable');
    expect(received).toHaveLength(1);
    await t.close();
  });

  it('slowNeighbour_eachAttemptTimesOut_andTheCallIsUnavailable', async () => {
    handler = (_b, _q, res) => void setTimeout(() => reply(200, { late: true })(_b, _q, res), 1000);
    const r = recorder();
    const t = transport({ timeoutMs: 100, retries: 1 }, r.observer);
    const err = await failure(t.call('/slow', { idempotencyKey: 'k' }, { retryable: true }));
    expect(err.kind).toBe('unavailable');
    expect(err.message).toMatch(/no answer in 100 ms/);
    expect(received).toHaveLength(2);
    expect(r.calls).toEqual(['/slow:timeout']);
    await t.close();
  });

  it('unreachable_isUnavailable', async () => {
    const t = new HttpTransport('item', 'http://127.0.0.1:1', { ...SETTINGS, retries: 0 }, async () => null, null);
    expect((await failure(t.call('/x', {}, { retryable: true }))).kind).toBe('unavailable');
    await t.close();
  });

  it('breaker_opensAfterConsecutiveFailures_thenRefusesWithoutCalling', async () => {
    handler = reply(502, { message: 'bad gateway' });
    const r = recorder();
    const t = transport({ retries: 0, breakerFailures: 3 }, r.observer);
    for (let i = 0; i < 3; i++) await failure(t.call('/x', {}, { retryable: true }));
    expect(t.breakerState).toBe('open');
    handler = reply(200, {});
    const err = await failure(t.call('/x', {}, { retryable: true }));
    expect(err.message).toMatch(/circuit open/);
    expect(received).toHaveLength(3);
    expect(r.states).toEqual(['closed', 'open']);
    expect(r.calls.at(-1)).toBe('/x:breaker_open');
    await t.close();
  });

  it('refusals_doNotOpenTheBreaker', async () => {
    handler = reply(409, { code: 'conflict', message: 'taken' });
    const t = transport({ breakerFailures: 2 });
    for (let i = 0; i < 4; i++) await failure(t.call('/x', {}, { retryable: true }));
    expect(t.breakerState).toBe('closed');
    await t.close();
  });

  it('bulkhead_callsBeyondConnectionsAndQueue_areRefusedAtOnce', async () => {
    const release: (() => void)[] = [];
    handler = (_b, _q, res) => void release.push(() => reply(200, {})(_b, _q, res));
    const t = transport({ connections: 1, queue: 1, timeoutMs: 5000, retries: 0 });
    const first = t.call('/a', {}, { retryable: false });
    const second = t.call('/b', {}, { retryable: false });
    const third = await failure(t.call('/c', {}, { retryable: false }));
    expect(third.message).toMatch(/too many calls waiting/);
    while (release.length < 1) await new Promise((r) => setTimeout(r, 10));
    release.shift()!();
    await first;
    while (release.length < 1) await new Promise((r) => setTimeout(r, 10));
    release.shift()!();
    await second;
    expect(received.map((x) => x.path)).toEqual(['/api/a', '/api/b']);
    await t.close();
  });

  it('ping_aRefusalOfTheEmptyCallIsUp_5xxCredentialsAndMissingRoutesAreDown', async () => {
    for (const [status, body, up] of [
      [400, { code: 'invalid', message: 'empty' }, true],
      [404, { code: 'not_found', message: 'none' }, true],
      [503, {}, false],
      [401, { code: 'unauthorized' }, false],
      [404, { code: 'no_route' }, false],
    ] as const) {
      const t = transport();
      handler = reply(status, body);
      if (up) await expect(t.ping('/x'), `${status}`).resolves.toBeUndefined();
      else await expect(t.ping('/x'), `${status}`).rejects.toThrow();
      await t.close();
    }
  });

  it('slowNeighbour_timeoutsOpenTheBreaker_andLaterCallsFailAtOnce', async () => {
    handler = (_b, _q, res) => void setTimeout(() => reply(200, {})(_b, _q, res), 500);
    const r = recorder();
    const t = transport({ timeoutMs: 50, retries: 0, breakerFailures: 2 }, r.observer);
    await failure(t.call('/slow', {}, { retryable: true }));
    await failure(t.call('/slow', {}, { retryable: true }));
    expect(t.breakerState).toBe('open');
    const sent = received.length;
    expect((await failure(t.call('/slow', {}, { retryable: true }))).message).toMatch(/circuit open/);
    expect(received.length).toBe(sent);
    await t.close();
  });

  it('aMissingRoute_isNeverNotFound_butUnavailable', async () => {
    handler = reply(404, { code: 'no_route', message: 'no route POST /x' });
    const t = transport({ retries: 0 });
    expect((await failure(t.call('/x', {}, { retryable: true, nullOn404: true }))).kind).toBe('unavailable');
    // The platform's own convention: an empty 404 is "not found".
    handler = (_b, _q, res) => {
      res.writeHead(404);
      res.end();
    };
    expect(await t.call('/x', {}, { retryable: true, nullOn404: true })).toBeNull();
    expect((await failure(t.call('/x', {}, { retryable: true }))).kind).toBe('not_found');
    await t.close();
  });

  it('otherAnswers_2xxIsSuccess_422WithAnotherCodeIsInvalid_credentialsRefusedIsUnavailable', async () => {
    const t = transport({ retries: 0 });
    handler = (_b, _q, res) => {
      res.writeHead(204);
      res.end();
    };
    expect(await t.call('/x', {}, { retryable: true })).toBeNull();
    handler = reply(422, { code: 'validation', message: 'bad amount' });
    expect((await failure(t.call('/x', {}, { retryable: true }))).kind).toBe('invalid');
    handler = reply(422, {});
    expect((await failure(t.call('/x', {}, { retryable: true }))).kind).toBe('insufficient_funds');
    handler = reply(403, { code: 'forbidden', message: 'internal detail' });
    const denied = await failure(t.call('/x', {}, { retryable: true }));
    expect([denied.kind, denied.message]).toEqual(['unavailable', "item: the service refused lib-craft's credentials (403)"]);
    await t.close();
  });

  it('signedTokens_nameTheNeighbourAsAudience_andLibCraftAsIssuer', async () => {
    handler = reply(200, {});
    const t = new HttpTransport('item', base, SETTINGS, tokenSource({ jwtSecret: 'a-secret-of-sixteen-chars' }), null);
    await t.call('/x', {}, { retryable: true });
    const claims = decodeJwt(received[0]!.authorization!.replace('Bearer ', ''));
    expect(claims).toMatchObject({ sub: 'lib-craft', roles: ['service'], aud: 'item', iss: 'lib-craft' });
    await t.close();
  });
});
