import { spawn, execFile, type ChildProcess } from 'node:child_process';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { createServer, connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
// Daemons live in sbin, which a non-root PATH often lacks.
const PATH = `${process.env.PATH ?? ''}:/usr/local/sbin:/usr/sbin:/sbin`;

/** A free TCP port on 127.0.0.1 (asked from the kernel, then released). */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });
}

export function portOpen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

export async function until(what: string, probe: () => Promise<boolean>, timeoutMs = 30_000, everyMs = 100) {
  const deadline = Date.now() + timeoutMs;
  while (!(await probe())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

type Name = 'mariadb' | 'redis' | 'nats';

/**
 * MariaDB, Redis and NATS (JetStream) of one chaos test file, on free ports with data in
 * a temporary directory, so the test may stop, kill and restart them at will without
 * touching the services the rest of the suite uses. Data survives a restart (MariaDB and
 * JetStream keep their directories; Redis is a cache and starts empty, as in production).
 */
export class PrivateServices {
  readonly ports = { mariadb: 0, redis: 0, nats: 0 };
  private children = new Map<Name, ChildProcess>();
  private constructor(readonly dir: string) {}

  static async start(): Promise<PrivateServices> {
    const s = new PrivateServices(await mkdtemp(join(tmpdir(), 'craft-chaos-')));
    s.ports.mariadb = await freePort();
    s.ports.redis = await freePort();
    s.ports.nats = await freePort();
    await mkdir(join(s.dir, 'nats'));
    const user = process.getuid?.() === 0 ? ['--user=root'] : [];
    await run('mariadb-install-db', ['--no-defaults', ...user, `--datadir=${join(s.dir, 'db')}`, '--auth-root-authentication-method=normal', '--skip-test-db', '--skip-name-resolve'], {
      env: { ...process.env, PATH },
    });
    await Promise.all((['mariadb', 'redis', 'nats'] as const).map((n) => s.up(n)));
    return s;
  }

  get urls() {
    return {
      databaseUrl: `mysql://root@127.0.0.1:${this.ports.mariadb}/craft`,
      redisUrl: `redis://127.0.0.1:${this.ports.redis}`,
      natsUrl: `nats://127.0.0.1:${this.ports.nats}`,
    };
  }

  private command(name: Name): [string, string[]] {
    const d = this.dir;
    switch (name) {
      case 'mariadb':
        return [
          'mariadbd',
          [
            '--no-defaults',
            ...(process.getuid?.() === 0 ? ['--user=root'] : []),
            `--datadir=${join(d, 'db')}`,
            `--port=${this.ports.mariadb}`,
            '--bind-address=127.0.0.1',
            `--socket=${join(d, 'mariadb.sock')}`,
            `--pid-file=${join(d, 'mariadb.pid')}`,
            `--log-error=${join(d, 'mariadb.err')}`,
            '--skip-name-resolve',
            '--innodb-buffer-pool-size=128M',
            '--max-connections=500',
          ],
        ];
      case 'redis':
        return ['redis-server', ['--bind', '127.0.0.1', '--port', String(this.ports.redis), '--save', '', '--appendonly', 'no', '--dir', d]];
      case 'nats':
        return ['nats-server', ['-a', '127.0.0.1', '-p', String(this.ports.nats), '-js', '-sd', join(d, 'nats'), '-l', join(d, 'nats.log')]];
    }
  }

  /** Starts a service and waits until it accepts connections. */
  async up(name: Name): Promise<void> {
    if (this.children.has(name)) return;
    const [bin, args] = this.command(name);
    const child = spawn(bin, args, { env: { ...process.env, PATH }, stdio: 'ignore' });
    this.children.set(name, child);
    child.once('exit', () => {
      if (this.children.get(name) === child) this.children.delete(name);
    });
    await until(`${name} to accept connections`, () => portOpen(this.ports[name]));
    if (name === 'mariadb') {
      await run('mariadb', ['--no-defaults', '--protocol=tcp', '-h127.0.0.1', `-P${this.ports.mariadb}`, '-uroot', '-e', 'CREATE DATABASE IF NOT EXISTS craft'], {
        env: { ...process.env, PATH },
      });
    }
  }

  /** Stops a service: SIGKILL by default (a crash), SIGTERM for an orderly stop. */
  async down(name: Name, signal: NodeJS.Signals = 'SIGKILL'): Promise<void> {
    const child = this.children.get(name);
    if (!child) return;
    const exited = new Promise((r) => child.once('exit', r));
    child.kill(signal);
    await exited;
    await until(`${name} to stop listening`, async () => !(await portOpen(this.ports[name])));
  }

  async close(): Promise<void> {
    await Promise.all([...this.children.keys()].map((n) => this.down(n)));
    await rm(this.dir, { recursive: true, force: true });
  }
}
