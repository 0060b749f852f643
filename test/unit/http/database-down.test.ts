import { describe, expect, it } from 'vitest';
import { toErrorBody } from '../../../src/http/error-handler.js';

// Shapes of the errors the plain `mariadb` driver throws while MySQL is down or restarting.
const driverError = (fields: Record<string, unknown>) => Object.assign(new Error(String(fields.message ?? '')), fields);

describe('database errors become 503 DEPENDENCY_UNAVAILABLE', () => {
  it.each([
    ['connect timeout', { code: 'ER_CONNECTION_TIMEOUT', fatal: true, message: 'Connection timeout: failed to create socket after 3001ms' }],
    ['pool timeout', { code: 'ER_GET_CONNECTION_TIMEOUT', fatal: false, message: 'retrieve connection from pool timeout after 3001ms' }],
    ['socket closed mid-query', { code: 'ER_SOCKET_UNEXPECTED_CLOSE', fatal: true, message: 'socket has unexpectedly been closed' }],
    ['server shutting down', { code: 'ER_SERVER_SHUTDOWN', errno: 1053, sqlState: '08S01', fatal: true, message: 'Server shutdown in progress' }],
    ['refused, wrapped', { message: 'outer', cause: { code: 'ECONNREFUSED', message: 'connect ECONNREFUSED 127.0.0.1:3306' } }],
  ])('%s', (_name, fields) => {
    expect(toErrorBody(driverError(fields))).toMatchObject({ status: 503, body: { code: 'DEPENDENCY_UNAVAILABLE' } });
  });

  it('aDuplicateKeyIsNotAnOutage', () => {
    const err = driverError({ code: 'ER_DUP_ENTRY', errno: 1062, sqlState: '23000', fatal: false, message: "Duplicate entry 'x' for key 'PRIMARY'" });
    expect(toErrorBody(err)).toMatchObject({ status: 500, body: { code: 'INTERNAL_ERROR' } });
  });
});
