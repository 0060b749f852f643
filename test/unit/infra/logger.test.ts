import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../../../src/infra/logger.js';

function capture() {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk, _enc, done) {
      lines.push(String(chunk));
      done();
    },
  });
  return { lines, stream };
}

describe('createLogger', () => {
  it('logger_secretsInRequestsAndConfig_areRedacted', () => {
    const { lines, stream } = capture();
    const log = createLogger('info', stream);
    log.info({ req: { headers: { authorization: 'Bearer eyJhbGciOi.secret', cookie: 'sid=1' } } }, 'incoming');
    log.info({ config: { databaseUrl: 'mysql://root:hunter2@db/craft', port: 3000 } }, 'booting');
    log.info({ client: { password: 'hunter2', token: 't0k3n' } }, 'calling');
    const out = lines.join('');
    expect(out).not.toMatch(/eyJhbGciOi|sid=1|hunter2|t0k3n/);
    expect(out.match(/\[redacted\]/g)).toHaveLength(5);
    expect(out).toContain('"port":3000');
  });
});
