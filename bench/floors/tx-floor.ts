// Floor 2: a bare Fastify route running one raw `mariadb` driver transaction per request:
// SELECT ... FOR UPDATE of a random row out of 10,000, an UPDATE of that row (balance and
// version, like a session's conditional update), and an INSERT of an outbox-like event row.
// Pool of FLOOR_DB_POOL connections (the service's DATABASE_CONNECTION_LIMIT). Tables
// `bench_floor_account` / `bench_floor_event` live in the bench database (bench/run.ts
// creates them).
import { randomUUID } from 'node:crypto';
import Fastify from 'fastify';
import { createPool } from 'mariadb';

const port = Number(process.env.FLOOR_PORT ?? 3902);
const rows = Number(process.env.FLOOR_ROWS ?? 10_000);
const url = new URL(process.env.DATABASE_URL ?? 'mysql://root@127.0.0.1:3306/craft_bench');
const pool = createPool({
  host: url.hostname,
  port: Number(url.port || 3306),
  user: decodeURIComponent(url.username),
  password: decodeURIComponent(url.password),
  database: url.pathname.slice(1),
  connectionLimit: Number(process.env.FLOOR_DB_POOL ?? 10),
  timezone: 'Z',
});

const app = Fastify({ logger: false });

app.post('/tx', async () => {
  const id = 1 + Math.floor(Math.random() * rows);
  const conn = await pool.getConnection();
  try {
    await conn.beginTransaction();
    const [row] = (await conn.query('SELECT id, balance, version FROM bench_floor_account WHERE id = ? FOR UPDATE', [id])) as {
      balance: number;
      version: number;
    }[];
    if (!row) throw new Error(`no account ${id}`);
    await conn.query('UPDATE bench_floor_account SET balance = balance + 1, version = version + 1, updatedAt = ? WHERE id = ? AND version = ?', [
      new Date(),
      id,
      row.version,
    ]);
    const eventId = randomUUID();
    await conn.query('INSERT INTO bench_floor_event (eventId, subject, payload, createdAt) VALUES (?, ?, ?, ?)', [
      eventId,
      'floor.account.updated',
      JSON.stringify({ eventId, accountId: id, version: row.version + 1, balance: Number(row.balance) + 1 }),
      new Date(),
    ]);
    await conn.commit();
    return { id, version: row.version + 1 };
  } catch (err) {
    await conn.rollback().catch(() => undefined);
    throw err;
  } finally {
    await conn.release();
  }
});
app.get('/ready', async () => {
  await pool.query('SELECT 1');
  return { ready: true };
});

await app.listen({ host: '127.0.0.1', port });
process.on('SIGTERM', () => void app.close().then(() => pool.end()).then(() => process.exit(0)));
