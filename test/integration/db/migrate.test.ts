// The migration runner against a real MariaDB, and the proof that the hand-written
// migrations build exactly the schema in prisma/schema.prisma.
import { randomBytes } from 'node:crypto';
import { readdirSync } from 'node:fs';
import { appendFile, cp, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createConnection, type Connection } from 'mariadb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checksumOf, migrate, parseDatabaseUrl, splitStatements } from '../../../src/infra/db/migrate.js';
import { parsePrismaSchema, type PrismaModel, type ScalarField } from '../../helpers/prisma-schema.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const MIGRATIONS_DIR = path.join(ROOT, 'prisma', 'migrations');
const SCHEMA_FILE = path.join(ROOT, 'prisma', 'schema.prisma');
const INIT = '20261121000000_init';
/** Every migration folder, in the order the runner applies them. */
const ALL = readdirSync(MIGRATIONS_DIR, { withFileTypes: true })
  .filter((e) => e.isDirectory())
  .map((e) => e.name)
  .sort();

// Host and credentials come from DATABASE_URL when set; the database is always our own.
const server = parseDatabaseUrl(process.env.DATABASE_URL ?? 'mysql://root@127.0.0.1:3306');
const created: string[] = [];

function freshDatabaseUrl(): { name: string; url: string } {
  const name = `craft_migtest_${randomBytes(6).toString('hex')}`;
  created.push(name);
  const url = new URL('mysql://placeholder');
  url.hostname = server.host.includes(':') ? `[${server.host}]` : server.host;
  url.port = String(server.port);
  url.username = encodeURIComponent(server.user);
  url.password = encodeURIComponent(server.password);
  url.pathname = `/${name}`;
  return { name, url: url.toString() };
}

function connect(database?: string): Promise<Connection> {
  return createConnection({
    host: server.host,
    port: server.port,
    user: server.user,
    password: server.password,
    ...(database ? { database } : {}),
  });
}

async function withConnection<T>(database: string, fn: (conn: Connection) => Promise<T>): Promise<T> {
  const conn = await connect(database);
  try {
    return await fn(conn);
  } finally {
    await conn.end();
  }
}

async function copyMigrations(): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), 'craft-migrations-'));
  await cp(MIGRATIONS_DIR, dir, { recursive: true });
  return dir;
}

afterAll(async () => {
  const conn = await connect();
  try {
    for (const name of created) await conn.query(`DROP DATABASE IF EXISTS \`${name}\``);
  } finally {
    await conn.end();
  }
});

describe('splitStatements', () => {
  it('splits on ; at end of line and drops -- comment lines', () => {
    const sql = '-- CreateTable\nCREATE TABLE `a` (\n    `x` INTEGER NOT NULL\n);\n\n-- AddForeignKey\nALTER TABLE `a` ADD `y` INT;\nSELECT 1';
    expect(splitStatements(sql)).toEqual([
      'CREATE TABLE `a` (\n    `x` INTEGER NOT NULL\n)',
      'ALTER TABLE `a` ADD `y` INT',
      'SELECT 1',
    ]);
  });

  it('keeps a ; that is not at the end of a line inside the statement', () => {
    expect(splitStatements("INSERT INTO t VALUES ('a;b');\r\n")).toEqual(["INSERT INTO t VALUES ('a;b')"]);
  });
});

describe('migrate on a fresh database', () => {
  const db = freshDatabaseUrl();
  let first: { applied: string[] };

  // In beforeAll so each test below can also run alone (vitest -t).
  beforeAll(async () => {
    first = await migrate(db.url);
  });

  it('creates the database and applies every migration once', async () => {
    expect(ALL[0]).toBe(INIT);
    expect(first).toEqual({ applied: ALL });
    expect(await migrate(db.url)).toEqual({ applied: [] });

    const rows = await withConnection(db.name, (c) =>
      c.query<Record<string, unknown>[]>('SELECT * FROM _prisma_migrations ORDER BY migration_name'),
    );
    expect(rows.map((r) => r.migration_name)).toEqual(ALL);
    for (const [i, name] of ALL.entries()) {
      const expected = checksumOf(await readFile(path.join(MIGRATIONS_DIR, name, 'migration.sql')));
      expect(rows[i]).toMatchObject({
        migration_name: name,
        checksum: expected,
        logs: null,
        rolled_back_at: null,
        applied_steps_count: 1,
      });
      expect(rows[i]!.checksum).toMatch(/^[0-9a-f]{64}$/);
      expect(rows[i]!.finished_at).toBeInstanceOf(Date);
      expect(rows[i]!.id).toMatch(/^[0-9a-f-]{36}$/);
    }
  });

  it('created the database with utf8mb4_unicode_ci', async () => {
    const [row] = await withConnection(db.name, (c) =>
      c.query<{ c: string }[]>(
        'SELECT DEFAULT_COLLATION_NAME AS c FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = ?',
        [db.name],
      ),
    );
    expect(row?.c).toBe('utf8mb4_unicode_ci');
  });

  it('matches prisma/schema.prisma', async () => {
    const models = parsePrismaSchema(await readFile(SCHEMA_FILE, 'utf8'));
    expect(models.length).toBeGreaterThan(0);
    const actual = await withConnection(db.name, (c) => introspect(c, db.name));

    expect([...actual.keys()].sort()).toEqual([...models.map((m) => m.tableName), '_prisma_migrations'].sort());
    for (const model of models) {
      const table = actual.get(model.tableName)!;
      expect(table.collation, `${model.name} collation`).toBe('utf8mb4_unicode_ci');
      expect(Object.keys(table.columns).sort(), `${model.name} columns`).toEqual(
        model.fields.map((f) => f.name).sort(),
      );
      for (const field of model.fields) {
        expect(describeColumn(table.columns[field.name]!), `${model.name}.${field.name}`).toEqual(
          expectedColumn(field),
        );
      }
      expect(table.indexes, `${model.name} indexes`).toEqual(expectedIndexes(model));
      expect(table.foreignKeys, `${model.name} foreign keys`).toEqual(expectedForeignKeys(model));
    }
  });
});

describe('migrate refuses unsafe states', () => {
  it('refuses when an applied migration file was edited', async () => {
    const db = freshDatabaseUrl();
    await migrate(db.url);
    const dir = await copyMigrations();
    try {
      await appendFile(path.join(dir, INIT, 'migration.sql'), '\n-- edited after the fact\n');
      await expect(migrate(db.url, { migrationsDir: dir })).rejects.toThrow(/modified after it was applied/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('records a failing migration and refuses to run until it is resolved', async () => {
    const db = freshDatabaseUrl();
    const dir = await copyMigrations();
    try {
      const bad = '29991231000000_broken';
      await mkdir(path.join(dir, bad));
      await writeFile(
        path.join(dir, bad, 'migration.sql'),
        '-- first statement works\nCREATE TABLE `Extra` (`id` INTEGER NOT NULL);\nALTER TABLE `Nope` ADD `x` INT;\n',
      );
      await expect(migrate(db.url, { migrationsDir: dir })).rejects.toThrow(/29991231000000_broken failed at statement 2/);

      const rows = await withConnection(db.name, (c) =>
        c.query<{ migration_name: string; finished_at: Date | null; logs: string | null }[]>(
          'SELECT migration_name, finished_at, logs FROM _prisma_migrations ORDER BY migration_name',
        ),
      );
      expect(rows.map((r) => [r.migration_name, r.finished_at === null])).toEqual([
        ...ALL.map((name) => [name, false]),
        [bad, true],
      ]);
      expect(rows[ALL.length]!.logs).toMatch(/Nope/);

      await expect(migrate(db.url, { migrationsDir: dir })).rejects.toThrow(/failed migrations.*29991231000000_broken/);

      // Resolving it the Prisma way (marking it rolled back) lets the fixed file apply.
      await withConnection(db.name, async (c) => {
        await c.query('DROP TABLE `Extra`');
        await c.query('UPDATE _prisma_migrations SET rolled_back_at = CURRENT_TIMESTAMP(3) WHERE migration_name = ?', [bad]);
      });
      await writeFile(path.join(dir, bad, 'migration.sql'), 'CREATE TABLE `Extra` (`id` INTEGER NOT NULL);\n');
      expect(await migrate(db.url, { migrationsDir: dir })).toEqual({ applied: [bad] });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('refuses a non-empty database it did not create', async () => {
    const db = freshDatabaseUrl();
    const conn = await connect();
    try {
      await conn.query(`CREATE DATABASE \`${db.name}\``);
      await conn.query(`CREATE TABLE \`${db.name}\`.\`Something\` (id INT PRIMARY KEY)`);
    } finally {
      await conn.end();
    }
    await expect(migrate(db.url)).rejects.toThrow(/not empty/);
  });

  it('applies once when several instances migrate at the same time', async () => {
    const db = freshDatabaseUrl();
    const results = await Promise.all([migrate(db.url), migrate(db.url), migrate(db.url)]);
    expect(results.flatMap((r) => r.applied)).toEqual(ALL);
  });
});

// ---- introspection ------------------------------------------------------------------

interface ColumnInfo {
  COLUMN_NAME: string;
  COLUMN_TYPE: string;
  IS_NULLABLE: 'YES' | 'NO';
  COLUMN_DEFAULT: string | null;
  EXTRA: string;
}

interface TableInfo {
  collation: string;
  columns: Record<string, ColumnInfo>;
  indexes: Record<string, { unique: boolean; columns: string[] }>;
  foreignKeys: Record<string, { columns: string[]; references: string; referencedColumns: string[]; onDelete: string; onUpdate: string }>;
}

async function introspect(conn: Connection, schema: string): Promise<Map<string, TableInfo>> {
  const tables = new Map<string, TableInfo>();
  const tableRows = await conn.query<{ TABLE_NAME: string; TABLE_COLLATION: string }[]>(
    "SELECT TABLE_NAME, TABLE_COLLATION FROM information_schema.TABLES WHERE TABLE_SCHEMA = ? AND TABLE_TYPE = 'BASE TABLE'",
    [schema],
  );
  for (const t of tableRows) {
    tables.set(t.TABLE_NAME, { collation: t.TABLE_COLLATION, columns: {}, indexes: {}, foreignKeys: {} });
  }

  const columns = await conn.query<(ColumnInfo & { TABLE_NAME: string })[]>(
    'SELECT TABLE_NAME, COLUMN_NAME, COLUMN_TYPE, IS_NULLABLE, COLUMN_DEFAULT, EXTRA ' +
      'FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = ? ORDER BY TABLE_NAME, ORDINAL_POSITION',
    [schema],
  );
  for (const c of columns) tables.get(c.TABLE_NAME)!.columns[c.COLUMN_NAME] = c;

  const stats = await conn.query<{ TABLE_NAME: string; INDEX_NAME: string; NON_UNIQUE: number | bigint; COLUMN_NAME: string }[]>(
    'SELECT TABLE_NAME, INDEX_NAME, NON_UNIQUE, COLUMN_NAME FROM information_schema.STATISTICS ' +
      'WHERE TABLE_SCHEMA = ? ORDER BY TABLE_NAME, INDEX_NAME, SEQ_IN_INDEX',
    [schema],
  );
  for (const s of stats) {
    const indexes = tables.get(s.TABLE_NAME)!.indexes;
    const index = (indexes[s.INDEX_NAME] ??= { unique: Number(s.NON_UNIQUE) === 0, columns: [] });
    index.columns.push(s.COLUMN_NAME);
  }

  const fks = await conn.query<
    { TABLE_NAME: string; CONSTRAINT_NAME: string; COLUMN_NAME: string; REFERENCED_TABLE_NAME: string; REFERENCED_COLUMN_NAME: string; UPDATE_RULE: string; DELETE_RULE: string }[]
  >(
    'SELECT k.TABLE_NAME, k.CONSTRAINT_NAME, k.COLUMN_NAME, k.REFERENCED_TABLE_NAME, k.REFERENCED_COLUMN_NAME, r.UPDATE_RULE, r.DELETE_RULE ' +
      'FROM information_schema.KEY_COLUMN_USAGE k JOIN information_schema.REFERENTIAL_CONSTRAINTS r ' +
      'ON r.CONSTRAINT_SCHEMA = k.CONSTRAINT_SCHEMA AND r.CONSTRAINT_NAME = k.CONSTRAINT_NAME AND r.TABLE_NAME = k.TABLE_NAME ' +
      'WHERE k.TABLE_SCHEMA = ? AND k.REFERENCED_TABLE_NAME IS NOT NULL ORDER BY k.TABLE_NAME, k.CONSTRAINT_NAME, k.ORDINAL_POSITION',
    [schema],
  );
  for (const f of fks) {
    const foreignKeys = tables.get(f.TABLE_NAME)!.foreignKeys;
    const fk = (foreignKeys[f.CONSTRAINT_NAME] ??= {
      columns: [],
      references: f.REFERENCED_TABLE_NAME,
      referencedColumns: [],
      onDelete: f.DELETE_RULE,
      onUpdate: f.UPDATE_RULE,
    });
    fk.columns.push(f.COLUMN_NAME);
    fk.referencedColumns.push(f.REFERENCED_COLUMN_NAME);
  }
  return tables;
}

// ---- expectations derived from schema.prisma -----------------------------------------

interface ColumnShape {
  type: string;
  nullable: boolean;
  default: string | null;
  autoIncrement: boolean;
}

function describeColumn(c: ColumnInfo): ColumnShape {
  const raw = c.COLUMN_DEFAULT;
  return {
    // Display widths (int(11)) are cosmetic in MariaDB.
    type: c.COLUMN_TYPE.replace(/^(int|bigint)\(\d+\)/, '$1'),
    nullable: c.IS_NULLABLE === 'YES',
    // MariaDB reports "no default" as NULL (NOT NULL columns) or 'NULL' (nullable ones).
    default: raw === null || raw === 'NULL' ? null : raw.toLowerCase(),
    autoIncrement: /auto_increment/i.test(c.EXTRA),
  };
}

function expectedColumn(field: ScalarField): ColumnShape {
  const def = field.default;
  let dbDefault: string | null = null;
  if (def?.kind === 'now') dbDefault = `current_timestamp(${field.nativeType?.args[0] ?? 3})`;
  if (def?.kind === 'literal') {
    dbDefault = typeof def.value === 'string' ? `'${def.value}'` : String(Number(def.value));
  }
  return {
    type: expectedType(field),
    nullable: field.optional,
    default: dbDefault,
    autoIncrement: def?.kind === 'autoincrement',
  };
}

function expectedType(field: ScalarField): string {
  const native = field.nativeType;
  switch (field.type) {
    case 'String':
      if (!native) return 'varchar(191)';
      return native.args.length > 0 ? `${native.name.toLowerCase()}(${native.args.join(',')})` : native.name.toLowerCase();
    case 'Int':
      return 'int';
    case 'BigInt':
      return 'bigint';
    case 'Float':
      return 'double';
    case 'Decimal':
      return native ? `decimal(${native.args.join(',')})` : 'decimal(65,30)';
    case 'Boolean':
      return 'tinyint(1)';
    case 'DateTime':
      return `datetime(${native?.args[0] ?? 3})`;
  }
}

function expectedIndexes(model: PrismaModel): TableInfo['indexes'] {
  const out: TableInfo['indexes'] = { PRIMARY: { unique: true, columns: model.primaryKey } };
  for (const u of model.uniques) out[u.name] = { unique: true, columns: u.columns };
  for (const i of model.indexes) out[i.name] = { unique: false, columns: i.columns };
  for (const name of Object.keys(out)) expect(name.length, `index name ${name}`).toBeLessThanOrEqual(64);
  return out;
}

function expectedForeignKeys(model: PrismaModel): TableInfo['foreignKeys'] {
  const out: TableInfo['foreignKeys'] = {};
  for (const fk of model.foreignKeys) {
    out[fk.name] = {
      columns: fk.columns,
      references: fk.referencedTable,
      referencedColumns: fk.referencedColumns,
      onDelete: fk.onDelete,
      onUpdate: fk.onUpdate,
    };
  }
  return out;
}
