import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { SPEC_PATH, startHarness, type Harness } from '../../helpers/harness.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h.close());

describe('HTTP surface', () => {
  it('openapiJson_listsEveryCraftPostOperationOfTheContract_includingTheRulesetOnes', async () => {
    const res = await h.app.inject({ method: 'GET', url: '/openapi.json' });
    expect(res.statusCode).toBe(200);
    const doc = res.json();
    expect(doc.openapi).toMatch(/^3\.1/);
    const craftPosts = Object.entries(doc.paths as Record<string, Record<string, unknown>>).filter(
      ([path, item]) => path.startsWith('/craft/') && item.post,
    );
    const source = parse(readFileSync(SPEC_PATH, 'utf8')) as { paths: Record<string, Record<string, unknown>> };
    const contract = Object.keys(source.paths).filter((path) => path.startsWith('/craft/') && source.paths[path]!.post);
    expect(craftPosts.map(([path]) => path).sort()).toEqual(contract.sort());
    expect(contract).toEqual(expect.arrayContaining(['/craft/ruleset/create', '/craft/ruleset/update', '/craft/session/retry', '/craft/session/pause', '/craft/session/resume']));
  });

  it('docs_servesSwaggerUi', async () => {
    const res = await h.app.inject({ method: 'GET', url: '/docs/' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/text\/html/);
    expect(res.body).toContain('swagger');
  });

  it('swaggerUi_documentHasTheBearerScheme_andTryItOutWorksWithAToken', async () => {
    for (const url of ['/openapi.json', '/docs/json']) {
      const doc = (await h.app.inject({ method: 'GET', url })).json();
      expect(doc.components.securitySchemes.bearerAuth, url).toMatchObject({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT' });
      expect(doc.security, url).toEqual([{ bearerAuth: [] }]);
    }
    // What "Try it out" sends after Authorize: the operation's example with the bearer token.
    const doc = (await h.app.inject({ method: 'GET', url: '/docs/json' })).json();
    const example = doc.paths['/craft/recipe/list'].post.requestBody.content['application/json'].example;
    const body = JSON.stringify({ ...example, gameServiceId: await h.gameService() });
    const headers = { 'content-type': 'application/json' };
    expect((await h.app.inject({ method: 'POST', url: '/craft/recipe/list', headers, payload: body })).statusCode).toBe(401);
    const tried = await h.app.inject({ method: 'POST', url: '/craft/recipe/list', headers: { ...headers, authorization: h.authorization }, payload: body });
    expect(tried.statusCode).toBe(200);
  });

  it('requestId_givenByCaller_isEchoed', async () => {
    const res = await h.post('/craft/recipe/list', { gameServiceId: await h.gameService() }, { 'x-request-id': 'trace-123' });
    expect(res.headers['x-request-id']).toBe('trace-123');
  });

  it('requestId_missingOrHostile_isGenerated', async () => {
    const gs = await h.gameService();
    const none = await h.post('/craft/recipe/list', { gameServiceId: gs });
    expect(none.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    const hostile = await h.post('/craft/recipe/list', { gameServiceId: gs }, { 'x-request-id': 'a b\u0000<script>' });
    expect(hostile.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('malformedJson_returns400WithCodeAndMessage', async () => {
    const res = await h.post('/craft/recipe/create', '{"gameServiceId": ');
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ code: 'VALIDATION_FAILED', message: expect.any(String) });
  });

  it('emptyBody_returns400', async () => {
    const res = await h.app.inject({ method: 'POST', url: '/craft/recipe/get', headers: { 'content-type': 'application/json', authorization: h.authorization } });
    expect(res.statusCode).toBe(400);
    expect(res.json().code).toBe('VALIDATION_FAILED');
  });

  it('nonJsonContentType_returns415WithBody', async () => {
    const res = await h.app.inject({
      method: 'POST',
      url: '/craft/recipe/get',
      headers: { 'content-type': 'text/plain', authorization: h.authorization },
      payload: 'hello',
    });
    expect(res.statusCode).toBe(415);
    expect(res.json()).toMatchObject({ code: 'UNSUPPORTED_MEDIA_TYPE', message: expect.any(String) });
  });

  it('bodyOverTheLimit_returns413WithBody', async () => {
    const res = await h.post('/craft/recipe/get', { recipeId: 'x'.repeat(5 * 1024 * 1024) });
    expect(res.status).toBe(413);
    expect(res.body.code).toBe('PAYLOAD_TOO_LARGE');
  });

  it('unknownRoute_returns404WithBody', async () => {
    const res = await h.post('/craft/recipe/teleport', {});
    expect(res.status).toBe(404);
    expect(res.body).toMatchObject({ code: 'ROUTE_NOT_FOUND' });
  });

  it('everyOperation_emptyBody_isImplementedAndNever5xx', async () => {
    const doc = (await h.app.inject({ method: 'GET', url: '/openapi.json' })).json();
    const paths = Object.keys(doc.paths as Record<string, unknown>);
    expect(paths.length).toBeGreaterThan(40);
    for (const path of paths) {
      // Operations whose fields are all optional (lists, clean-deprecated) may succeed.
      const res = await h.post(path, {});
      expect({ path, status: res.status }).toEqual({ path, status: res.status < 500 ? res.status : 'below 500' });
      if (res.status >= 400) expect(res.body, path).toMatchObject({ code: expect.any(String), message: expect.any(String) });
    }
  });

  it('livez_andReadyz_reportEachDependency', async () => {
    expect((await h.app.inject({ method: 'GET', url: '/livez' })).statusCode).toBe(200);
    const ready = await h.app.inject({ method: 'GET', url: '/readyz' });
    expect(ready.statusCode).toBe(200);
    expect(ready.json()).toEqual({
      status: 'ready',
      checks: { mysql: { status: 'up' }, redis: { status: 'up' }, nats: { status: 'up' } },
      // Informational: never a reason for 503.
      outbox: { pending: expect.any(Number), oldestMs: expect.toSatisfy((v: unknown) => v === null || typeof v === 'number') },
    });
  });

  it('standaloneGameServiceRegistration_duplicateName_returns409', async () => {
    const body = { stubName: `dup-${Date.now()}`, displayName: 'Dup' };
    expect((await h.post('/dev/game-service/register', body)).status).toBe(200);
    const again = await h.post('/dev/game-service/register', body);
    expect(again.status).toBe(409);
    expect(again.body.code).toBe('GAME_SERVICE_STUB_NAME_EXISTS');
    const list = await h.post('/dev/game-service/list', {});
    expect(list.body.gameServices.some((g: { stubName: string }) => g.stubName === body.stubName)).toBe(true);
  });
});
