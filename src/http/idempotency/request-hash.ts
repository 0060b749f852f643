import { createHash } from 'node:crypto';
import { canonicalJson } from '../../domain/canonical-json.js';

/** What a request asks for: SHA-256 hex of its method, path and canonical JSON body. */
export function requestHash(method: string, path: string, body: unknown): string {
  return createHash('sha256')
    .update(`${method.toUpperCase()}\n${path}\n${canonicalJson(body ?? null)}`, 'utf8')
    .digest('hex');
}
