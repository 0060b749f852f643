import { createPool, type Pool, type PoolConnection } from 'mariadb';
import { isRetryableTxError } from './unit-of-work.js';
import { parseDatabaseUrl } from './migrate.js';

export type SqlPool = Pool;
export type SqlConnection = PoolConnection;

/**
 * A plain `mariadb` pool beside Prisma's, for the few hot statements where an interactive
 * Prisma transaction costs several times the SQL it runs (stack-notes.md: UPDATE + INSERT
 * in a transaction, 4.4-5.2k/s raw vs 0.8-0.9k/s interactive). Same server settings as the
 * Prisma adapter: UTC, prepared-statement cache.
 */
export function createSqlPool(databaseUrl: string, opts: { connectionLimit: number; acquireTimeoutMs: number }): SqlPool {
  const db = parseDatabaseUrl(databaseUrl);
  return createPool({
    host: db.host,
    port: db.port,
    user: db.user,
    password: db.password,
    database: db.database,
    connectionLimit: opts.connectionLimit,
    acquireTimeout: opts.acquireTimeoutMs,
    connectTimeout: Math.min(opts.acquireTimeoutMs, 5_000),
    prepareCacheLength: 256,
    timezone: 'Z',
  });
}

const MAX_ATTEMPTS = 5;

/** Runs `fn` in a transaction on one connection; deadlocks and lock-wait timeouts retry the whole. */
export async function sqlTransaction<T>(pool: SqlPool, fn: (conn: SqlConnection) => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    const conn = await pool.getConnection();
    try {
      await conn.beginTransaction();
      const value = await fn(conn);
      await conn.commit();
      return value;
    } catch (err) {
      await conn.rollback().catch(() => undefined);
      if (attempt >= MAX_ATTEMPTS || !isRetryableTxError(err)) throw err;
      await new Promise((r) => setTimeout(r, 5 * attempt + Math.random() * 20));
    } finally {
      await conn.release();
    }
  }
}
