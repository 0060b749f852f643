import { Writable } from 'node:stream';
import Fastify, { type FastifyBaseLogger } from 'fastify';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { logBindings, registerLogContext } from '../../../src/http/log-context.js';

describe('request log context', () => {
  it('logBindings_bodyIds_boundAndNothingElse', () => {
    expect(logBindings({ sessionId: 's-1', entityId: 'e-1', stepCode: 'quench', token: 'secret' })).toEqual({ sessionId: 's-1', entityId: 'e-1' });
    expect(logBindings({ sessionId: 'x'.repeat(500) })).toBeNull();
    expect(logBindings({ entityId: 42 })).toBeNull();
    expect(logBindings(null)).toBeNull();
    expect(logBindings(['sessionId'])).toBeNull();
  });

  it('requestLog_everyLineAfterValidation_carriesRequestIdAndSessionIdButNoHeaders', async () => {
    const lines: Record<string, unknown>[] = [];
    const sink = new Writable({ write: (chunk, _enc, done) => (lines.push(JSON.parse(String(chunk))), done()) });
    const logger: FastifyBaseLogger = pino({ level: 'info' }, sink);
    const app = Fastify({ loggerInstance: logger, requestIdLogLabel: 'requestId' });
    registerLogContext(app);
    app.post('/craft/session/cancel', async (request) => {
      request.log.info('handling');
      return { ok: true };
    });
    await app.inject({
      method: 'POST',
      url: '/craft/session/cancel',
      headers: { authorization: 'Bearer eyJhbGciOi.secret' },
      payload: { sessionId: 'sess-42', entityId: 'ent-7' },
    });
    await app.close();
    const handling = lines.find((l) => l.msg === 'handling');
    const completed = lines.find((l) => l.msg === 'request completed');
    for (const line of [handling, completed]) {
      expect(line).toMatchObject({ requestId: expect.any(String), sessionId: 'sess-42', entityId: 'ent-7' });
    }
    expect(JSON.stringify(lines)).not.toContain('eyJhbGciOi');
  });
});
