/**
 * Storage of idempotency records: one row per (caller, key), first inserted
 * `in_progress` and then either completed with the response or deleted (released).
 * Implemented in src/infra/repositories/prisma-idempotency-repository.ts.
 *
 * A claim is identified by its `token` (the instant it was claimed, stored as the
 * row's createdAt): completing or releasing only touches the row while it still
 * carries that token, so a request whose claim was taken over cannot overwrite the
 * record of the request that took it over.
 */

/** A response exactly as it went out: status, content type and body text. */
export interface StoredResponse {
  status: number;
  /** The `content-type` header, '' when the response had none. */
  contentType: string;
  body: string;
}

export interface IdempotencyRecord {
  requestHash: string;
  status: 'in_progress' | 'completed';
  /** Set when completed. */
  response: StoredResponse | null;
  /** The claim's token. */
  claimedAt: Date;
  expiresAt: Date;
}

export interface IdempotencyRepository {
  /** Inserts an `in_progress` row; false when a row for (callerKey, key) already exists. */
  insert(input: {
    callerKey: string;
    key: string;
    requestHash: string;
    claimedAt: Date;
    expiresAt: Date;
  }): Promise<boolean>;
  find(callerKey: string, key: string): Promise<IdempotencyRecord | null>;
  /** Deletes the row only if it has expired at `now`. */
  deleteIfExpired(callerKey: string, key: string, now: Date): Promise<void>;
  /** Moves an `in_progress` row still carrying `staleClaimedAt` to a new claim; false when someone else moved it. */
  takeOver(callerKey: string, key: string, staleClaimedAt: Date, claimedAt: Date, expiresAt: Date): Promise<boolean>;
  /** Stores the response of the claim `claimedAt`; false when the row no longer carries that claim. */
  complete(callerKey: string, key: string, claimedAt: Date, response: StoredResponse, expiresAt: Date): Promise<boolean>;
  /** Deletes the `in_progress` row of the claim `claimedAt` (if it still carries it). */
  release(callerKey: string, key: string, claimedAt: Date): Promise<void>;
  /** Deletes up to `limit` rows expired at `now`; returns how many. */
  purgeExpired(now: Date, limit: number): Promise<number>;
}
