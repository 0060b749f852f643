// Applies prisma/migrations the way `prisma migrate deploy` does. We need our own runner
// because the Prisma CLI cannot download its schema engine on our machines; keeping
// Prisma's folder format and `_prisma_migrations` bookkeeping means the real CLI accepts
// the same history wherever the engine is available.
import { createHash, randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createConnection, type Connection } from 'mariadb';

export interface MigrateLogger {
  info(msg: string): void;
}

export interface MigrateOptions {
  migrationsDir?: string;
  logger?: MigrateLogger;
}

export interface DatabaseConfig {
  host: string;
  port: number;
  user: string;
  password: string;
  /** Empty when the URL names no database. */
  database: string;
}

// Same lock name as Prisma, so our runner and `prisma migrate deploy` exclude each other.
const LOCK_NAME = 'prisma_migrate';
const LOCK_TIMEOUT_SECONDS = 10;
const ER_BAD_DB_ERROR = 1049;

// Prisma's DDL for MySQL, verbatim, so the table is interchangeable with the CLI's.
const MIGRATIONS_TABLE_DDL = `CREATE TABLE IF NOT EXISTS _prisma_migrations (
    id                      VARCHAR(36) PRIMARY KEY NOT NULL,
    checksum                VARCHAR(64) NOT NULL,
    finished_at             DATETIME(3),
    migration_name          VARCHAR(255) NOT NULL,
    logs                    TEXT,
    rolled_back_at          DATETIME(3),
    started_at              DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
    applied_steps_count     INTEGER UNSIGNED NOT NULL DEFAULT 0
) DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`;

interface MigrationRow {
  id: string;
  checksum: string;
  migration_name: string;
  started_at: Date;
  finished_at: Date | null;
  rolled_back_at: Date | null;
}

interface LocalMigration {
  name: string;
  sql: string;
  checksum: string;
}

/** Parses `mysql://user:pass@host:port/db` (or `mariadb://`). */
export function parseDatabaseUrl(databaseUrl: string): DatabaseConfig {
  let url: URL;
  try {
    url = new URL(databaseUrl);
  } catch {
    throw new Error('DATABASE_URL is not a valid URL (expected mysql://user:pass@host:port/db)');
  }
  if (url.protocol !== 'mysql:' && url.protocol !== 'mariadb:') {
    throw new Error(`DATABASE_URL must use mysql:// or mariadb://, got ${url.protocol}//`);
  }
  return {
    host: url.hostname.replace(/^\[(.*)\]$/, '$1') || '127.0.0.1',
    port: url.port ? Number(url.port) : 3306,
    user: decodeURIComponent(url.username),
    password: decodeURIComponent(url.password),
    database: decodeURIComponent(url.pathname.replace(/^\//, '')),
  };
}

/**
 * Splits a migration script into statements. Convention for our hand-written SQL: a
 * statement ends with `;` at the end of a line, and `--` comment lines are dropped.
 * (So a `;` followed by a newline inside a string literal is not supported.)
 */
export function splitStatements(sql: string): string[] {
  const statements: string[] = [];
  let current: string[] = [];
  for (const raw of sql.split(/\r?\n/)) {
    const trimmed = raw.trim();
    if (trimmed === '' || trimmed.startsWith('--')) continue;
    current.push(raw);
    if (trimmed.endsWith(';')) {
      statements.push(current.join('\n').trim().replace(/;$/, ''));
      current = [];
    }
  }
  const tail = current.join('\n').trim();
  if (tail !== '') statements.push(tail);
  return statements;
}

/** Prisma's checksum: lowercase hex sha256 of the migration.sql bytes. */
export function checksumOf(content: string | Buffer): string {
  return createHash('sha256').update(content).digest('hex');
}

export async function migrate(
  databaseUrl: string,
  opts: MigrateOptions = {},
): Promise<{ applied: string[] }> {
  const config = parseDatabaseUrl(databaseUrl);
  if (config.database === '') throw new Error('DATABASE_URL names no database');
  const log = opts.logger ?? { info: () => undefined };
  const local = await readLocalMigrations(opts.migrationsDir ?? defaultMigrationsDir());

  const conn = await connectCreatingDatabase(config);
  try {
    await acquireLock(conn);
    try {
      return { applied: await migrateLocked(conn, config.database, local, log) };
    } finally {
      // Closing the connection frees the lock anyway; don't mask the real error.
      await conn.query('SELECT RELEASE_LOCK(?)', [LOCK_NAME]).catch(() => undefined);
    }
  } finally {
    await conn.end();
  }
}

async function migrateLocked(
  conn: Connection,
  database: string,
  local: LocalMigration[],
  log: MigrateLogger,
): Promise<string[]> {
  await refuseNonEmptyUnmanagedSchema(conn, database);
  await conn.query(MIGRATIONS_TABLE_DDL);
  const rows = await conn.query<MigrationRow[]>(
    'SELECT id, checksum, migration_name, started_at, finished_at, rolled_back_at ' +
      'FROM _prisma_migrations ORDER BY started_at, migration_name',
  );

  const failed = rows.filter((r) => r.finished_at === null && r.rolled_back_at === null);
  if (failed.length > 0) {
    const names = failed.map((r) => r.migration_name).join(', ');
    throw new Error(
      `found failed migrations in the database (${names}); fix the schema by hand, then ` +
        'mark them rolled back (set rolled_back_at) or applied before migrating again',
    );
  }

  // A rolled-back row does not count: Prisma applies that migration again.
  const applied = new Map<string, string>();
  for (const r of rows) {
    if (r.finished_at !== null && r.rolled_back_at === null) applied.set(r.migration_name, r.checksum);
  }
  const localNames = new Set(local.map((m) => m.name));
  for (const [name, checksum] of applied) {
    const file = local.find((m) => m.name === name);
    if (file && file.checksum !== checksum) {
      throw new Error(
        `migration ${name} was modified after it was applied (checksum ${checksum} in the ` +
          `database, ${file.checksum} on disk); add a new migration instead of editing it`,
      );
    }
    if (!localNames.has(name)) log.info(`migration ${name} is applied but missing locally`);
  }

  const done: string[] = [];
  for (const m of local) {
    if (applied.has(m.name)) continue;
    log.info(`applying migration ${m.name}`);
    await applyMigration(conn, m);
    done.push(m.name);
  }
  return done;
}

async function applyMigration(conn: Connection, m: LocalMigration): Promise<void> {
  const id = randomUUID();
  // The row goes in first: MariaDB DDL is not transactional, so a crash mid-way must
  // leave an unfinished row that blocks later runs until someone looks (as Prisma does).
  await conn.query(
    'INSERT INTO _prisma_migrations (id, checksum, migration_name, started_at, applied_steps_count) ' +
      'VALUES (?, ?, ?, CURRENT_TIMESTAMP(3), 0)',
    [id, m.checksum, m.name],
  );
  let index = 0;
  try {
    for (const statement of splitStatements(m.sql)) {
      index += 1;
      await conn.query(statement);
    }
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    await conn.query('UPDATE _prisma_migrations SET logs = ? WHERE id = ?', [
      `statement ${index} failed: ${message}`,
      id,
    ]);
    throw new Error(`migration ${m.name} failed at statement ${index}: ${message}`, { cause: err });
  }
  await conn.query(
    'UPDATE _prisma_migrations SET finished_at = CURRENT_TIMESTAMP(3), applied_steps_count = 1 WHERE id = ?',
    [id],
  );
}

// Mirrors Prisma's P3005: migrating a schema that something else created would half-apply.
async function refuseNonEmptyUnmanagedSchema(conn: Connection, database: string): Promise<void> {
  const tables = await conn.query<{ TABLE_NAME: string }[]>(
    "SELECT TABLE_NAME FROM information_schema.TABLES WHERE TABLE_SCHEMA = ? AND TABLE_TYPE = 'BASE TABLE'",
    [database],
  );
  const names = tables.map((t) => t.TABLE_NAME);
  if (names.length > 0 && !names.includes('_prisma_migrations')) {
    throw new Error(
      `database ${database} is not empty and has no _prisma_migrations table; ` +
        'refusing to migrate a schema this runner did not create',
    );
  }
}

async function acquireLock(conn: Connection): Promise<void> {
  const rows = await conn.query<{ got: number | bigint | null }[]>('SELECT GET_LOCK(?, ?) AS got', [
    LOCK_NAME,
    LOCK_TIMEOUT_SECONDS,
  ]);
  if (Number(rows[0]?.got) !== 1) {
    throw new Error(`timed out after ${LOCK_TIMEOUT_SECONDS}s waiting for the ${LOCK_NAME} lock`);
  }
}

async function connectCreatingDatabase(config: DatabaseConfig): Promise<Connection> {
  const base = {
    host: config.host,
    port: config.port,
    user: config.user,
    password: config.password,
    multipleStatements: false,
    // UTC session, so CURRENT_TIMESTAMP(3) in the bookkeeping rows matches Prisma's.
    timezone: 'Z',
  };
  try {
    return await createConnection({ ...base, database: config.database });
  } catch (err) {
    if ((err as { errno?: number }).errno !== ER_BAD_DB_ERROR) throw err;
  }
  const admin = await createConnection(base);
  try {
    await admin.query(
      `CREATE DATABASE IF NOT EXISTS ${quoteIdent(config.database)} ` +
        'CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci',
    );
  } finally {
    await admin.end();
  }
  return createConnection({ ...base, database: config.database });
}

async function readLocalMigrations(dir: string): Promise<LocalMigration[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  const names = entries
    .filter((e) => e.isDirectory() && existsSync(path.join(dir, e.name, 'migration.sql')))
    .map((e) => e.name)
    .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  return Promise.all(
    names.map(async (name) => {
      const bytes = await readFile(path.join(dir, name, 'migration.sql'));
      return { name, sql: bytes.toString('utf8'), checksum: checksumOf(bytes) };
    }),
  );
}

// Walk up from this module so the default works from src/ (tsx) and from dist/ alike.
function defaultMigrationsDir(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const candidate = path.join(dir, 'prisma', 'migrations');
    if (existsSync(candidate)) return candidate;
    const parent = path.dirname(dir);
    if (parent === dir) return path.resolve('prisma', 'migrations');
    dir = parent;
  }
}

function quoteIdent(name: string): string {
  return '`' + name.replaceAll('`', '``') + '`';
}
