// The bench's own corner of the shared services: database `craft_bench` (dropped, created,
// migrated with the production runner), Redis keys under `craft-bench:`, JetStream streams
// CRAFT_BENCH / CONTRACT_BENCH. Nothing else on the machine is touched.
import { spawnSync } from 'node:child_process';
import { connect } from '@nats-io/transport-node';
import { jetstreamManager } from '@nats-io/jetstream';
import { Redis } from 'ioredis';
import { createConnection, createPool, type Pool } from 'mariadb';
import { config, ROOT } from './config.js';

export function dbOptions(database?: string) {
  const url = new URL(config.databaseUrl);
  return {
    host: url.hostname,
    port: Number(url.port || 3306),
    user: decodeURIComponent(url.username),
    password: decodeURIComponent(url.password),
    ...(database !== undefined && { database }),
    timezone: 'Z',
  };
}

export function benchDatabaseName(): string {
  return decodeURIComponent(new URL(config.databaseUrl).pathname.slice(1));
}

export function benchPool(connectionLimit = 4): Pool {
  return createPool({ ...dbOptions(benchDatabaseName()), connectionLimit, minimumIdle: 1 });
}

/** Drops and recreates the bench database, migrates it, and adds the floor's tables. */
export async function prepareDatabase(floorRows: number): Promise<void> {
  const name = benchDatabaseName();
  if (!/^[A-Za-z0-9_]+$/.test(name) || !/bench/.test(name)) {
    throw new Error(`refusing to drop database "${name}": the bench database name must contain "bench"`);
  }
  const conn = await createConnection(dbOptions());
  try {
    await conn.query(`DROP DATABASE IF EXISTS \`${name}\``);
    await conn.query(`CREATE DATABASE \`${name}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
  } finally {
    await conn.end();
  }
  // The production migration runner, as `npm run db:migrate` / the container run it.
  const migrated = spawnSync(process.execPath, ['dist/infra/db/migrate-cli.js'], {
    cwd: ROOT,
    env: { ...process.env, DATABASE_URL: config.databaseUrl },
    encoding: 'utf8',
  });
  if (migrated.status !== 0) throw new Error(`migration failed:\n${migrated.stdout}\n${migrated.stderr}`);

  const db = await createConnection(dbOptions(name));
  try {
    await db.query(`CREATE TABLE bench_floor_account (
      id INT NOT NULL PRIMARY KEY,
      balance BIGINT NOT NULL,
      version INT NOT NULL,
      updatedAt DATETIME(3) NOT NULL
    ) DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
    await db.query(`CREATE TABLE bench_floor_event (
      seq BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
      eventId CHAR(36) NOT NULL,
      subject VARCHAR(200) NOT NULL,
      payload LONGTEXT NOT NULL,
      createdAt DATETIME(3) NOT NULL,
      publishedAt DATETIME(3) NULL,
      UNIQUE INDEX bench_floor_event_eventId_key (eventId),
      INDEX bench_floor_event_publishedAt_seq_idx (publishedAt, seq)
    ) DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
    const now = new Date();
    const rows = Array.from({ length: floorRows }, (_, i) => [i + 1, 1000, 0, now]);
    await db.batch('INSERT INTO bench_floor_account (id, balance, version, updatedAt) VALUES (?, ?, ?, ?)', rows);
  } finally {
    await db.end();
  }
}

/** Deletes the bench's Redis keys (recipe cache, locks) left by an earlier run. */
export async function clearRedis(): Promise<number> {
  const redis = new Redis(config.redisUrl, { lazyConnect: true, maxRetriesPerRequest: 2 });
  await redis.connect();
  let deleted = 0;
  try {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${config.redisPrefix}*`, 'COUNT', 1000);
      cursor = next;
      if (keys.length > 0) deleted += await redis.del(...keys);
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
  return deleted;
}

/** Deletes the bench's JetStream streams (events of an earlier run, durable consumers). */
export async function clearStreams(): Promise<string[]> {
  const nc = await connect({ servers: config.natsUrl, name: 'lib-craft-bench', timeout: 3000 });
  const deleted: string[] = [];
  try {
    const jsm = await jetstreamManager(nc);
    for (const stream of [config.natsStream, config.contractStream]) {
      try {
        if (await jsm.streams.delete(stream)) deleted.push(stream);
      } catch {
        // not there
      }
    }
  } finally {
    await nc.close();
  }
  return deleted;
}
