import { createHash } from 'node:crypto';
import type { IdempotencyRecord as Row, PrismaClient } from '../../generated/prisma/client.js';
import type {
  IdempotencyRecord,
  IdempotencyRepository,
  StoredResponse,
} from '../../services/idempotency/idempotency-repository.js';

/**
 * The table's columns use a case- and trailing-space-insensitive collation
 * (utf8mb4_unicode_ci), under which the keys `abc`, `ABC` and `abc ` would be one row.
 * Callers and keys are exact strings, so each is stored as the SHA-256 hex of its text:
 * always 64 lowercase characters, compared exactly, whatever its length.
 */
export function storedIdentity(callerKey: string, key: string) {
  return { callerKey: sha256(callerKey), idemKey: sha256(key) };
}

function sha256(text: string) {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

/**
 * `responseBody` holds the content type, a newline, then the body text (a header value
 * cannot contain a newline, so the first one always ends the content type).
 */
export function encodeResponse(r: StoredResponse): string {
  return `${r.contentType}\n${r.body}`;
}

export function decodeResponse(status: number, stored: string): StoredResponse {
  const cut = stored.indexOf('\n');
  return cut < 0
    ? { status, contentType: '', body: stored }
    : { status, contentType: stored.slice(0, cut), body: stored.slice(cut + 1) };
}

function toRecord(row: Row): IdempotencyRecord {
  const completed = row.status === 'completed';
  return {
    requestHash: row.requestHash,
    status: completed ? 'completed' : 'in_progress',
    response:
      completed && row.responseStatus !== null && row.responseBody !== null
        ? decodeResponse(row.responseStatus, row.responseBody)
        : null,
    claimedAt: row.createdAt,
    expiresAt: row.expiresAt,
  };
}

export class PrismaIdempotencyRepository implements IdempotencyRepository {
  constructor(private readonly prisma: PrismaClient) {}

  async insert(input: { callerKey: string; key: string; requestHash: string; claimedAt: Date; expiresAt: Date }) {
    const id = storedIdentity(input.callerKey, input.key);
    const inserted = await this.prisma.$executeRaw`
      INSERT IGNORE INTO IdempotencyRecord (callerKey, idemKey, requestHash, status, createdAt, expiresAt)
      VALUES (${id.callerKey}, ${id.idemKey}, ${input.requestHash}, 'in_progress', ${input.claimedAt}, ${input.expiresAt})`;
    return inserted === 1;
  }

  async find(callerKey: string, key: string) {
    const row = await this.prisma.idempotencyRecord.findUnique({
      where: { callerKey_idemKey: storedIdentity(callerKey, key) },
    });
    return row ? toRecord(row) : null;
  }

  async deleteIfExpired(callerKey: string, key: string, now: Date) {
    await this.prisma.idempotencyRecord.deleteMany({
      where: { ...storedIdentity(callerKey, key), expiresAt: { lte: now } },
    });
  }

  async takeOver(callerKey: string, key: string, staleClaimedAt: Date, claimedAt: Date, expiresAt: Date) {
    const { count } = await this.prisma.idempotencyRecord.updateMany({
      where: { ...storedIdentity(callerKey, key), status: 'in_progress', createdAt: staleClaimedAt },
      data: { createdAt: claimedAt, expiresAt },
    });
    return count === 1;
  }

  async complete(callerKey: string, key: string, claimedAt: Date, response: StoredResponse, expiresAt: Date) {
    const { count } = await this.prisma.idempotencyRecord.updateMany({
      where: { ...storedIdentity(callerKey, key), status: 'in_progress', createdAt: claimedAt },
      data: {
        status: 'completed',
        responseStatus: response.status,
        responseBody: encodeResponse(response),
        expiresAt,
      },
    });
    return count === 1;
  }

  async release(callerKey: string, key: string, claimedAt: Date) {
    await this.prisma.idempotencyRecord.deleteMany({
      where: { ...storedIdentity(callerKey, key), status: 'in_progress', createdAt: claimedAt },
    });
  }

  async purgeExpired(now: Date, limit: number) {
    return this.prisma.$executeRaw`DELETE FROM IdempotencyRecord WHERE expiresAt <= ${now} LIMIT ${limit}`;
  }
}
