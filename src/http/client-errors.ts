import type { Socket } from 'node:net';
import type { ErrorBody } from './error-handler.js';

/**
 * Errors Node's HTTP parser raises before a request reaches Fastify (headers too large, a
 * malformed request line, a request that timed out), answered with our `{code, message}`
 * body instead of Node's or Fastify's own shape. The connection is closed afterwards, as
 * Node does: the parser cannot continue on it.
 */
export function clientErrorHandler(err: NodeJS.ErrnoException, socket: Socket) {
  if (err.code === 'ECONNRESET' || socket.destroyed) return;
  const [status, reason, body]: [number, string, ErrorBody] =
    err.code === 'HPE_HEADER_OVERFLOW'
      ? [431, 'Request Header Fields Too Large', { code: 'HEADERS_TOO_LARGE', message: 'the request headers exceed the size limit (a bearer token of at most 8 KiB fits)' }]
      : err.code === 'ERR_HTTP_REQUEST_TIMEOUT'
        ? [408, 'Request Timeout', { code: 'REQUEST_TIMEOUT', message: 'the request was not received in time' }]
        : [400, 'Bad Request', { code: 'VALIDATION_FAILED', message: 'the request is not valid HTTP' }];
  const text = JSON.stringify(body);
  if (socket.writable) {
    socket.write(
      `HTTP/1.1 ${status} ${reason}\r\nContent-Length: ${Buffer.byteLength(text)}\r\nContent-Type: application/json; charset=utf-8\r\nConnection: close\r\n\r\n${text}`,
    );
  }
  socket.destroy(err);
}
