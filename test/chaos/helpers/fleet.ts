import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { mintToken, TEST_JWT_SECRET } from '../../helpers/tokens.js';
import { freePort, until, type PrivateServices } from './infra.js';

const ROOT = fileURLToPath(new URL('../../..', import.meta.url));
const SERVER = join(ROOT, 'dist/server.js');

/** Settings every chaos instance runs with: fast background upkeep so a test settles in seconds. */
const CHAOS_ENV = {
  CRAFT_STANDALONE: 'true',
  CRAFT_AUTH_JWT_SECRET: TEST_JWT_SECRET,
  CRAFT_PROFICIENCY_SOURCE: 'local',
  CRAFT_RATE_LIMIT_PER_MINUTE: '0',
  CRAFT_OUTBOX_POLL_INTERVAL_MS: '100',
  CRAFT_RECOVERY_INTERVAL_MS: '500',
  CRAFT_RECOVERY_STALE_SECONDS: '3',
  CRAFT_LOCK_TIMEOUT_SECONDS: '5',
  DATABASE_CONNECTION_LIMIT: '10',
  DATABASE_ACQUIRE_TIMEOUT_MS: '3000',
  LOG_LEVEL: 'warn',
  HOST: '127.0.0.1',
};

export interface Reply {
  status: number;
  body: any;
}

/** One service process (the production build, `node dist/server.js`). */
export class Instance {
  private child: ChildProcess | null = null;
  constructor(
    readonly name: string,
    readonly port: number,
    private readonly env: Record<string, string>,
    private readonly logFile: string,
  ) {}

  get url() {
    return `http://127.0.0.1:${this.port}`;
  }

  get running() {
    return this.child !== null;
  }

  async start(): Promise<void> {
    const log = createWriteStream(this.logFile, { flags: 'a' });
    const child = spawn(process.execPath, [SERVER], { env: { ...process.env, ...this.env, PORT: String(this.port) }, stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout!.pipe(log);
    child.stderr!.pipe(log);
    this.child = child;
    child.once('exit', () => {
      if (this.child === child) this.child = null;
    });
    await until(`${this.name} to answer /livez`, async () => {
      if (!this.child) throw new Error(`${this.name} exited during startup; see ${this.logFile}`);
      return (await this.get('/livez').catch(() => ({ status: 0 }))).status === 200;
    });
  }

  /** Kills the process without warning (no graceful shutdown, in-flight requests die). */
  async kill(signal: NodeJS.Signals = 'SIGKILL'): Promise<void> {
    const child = this.child;
    if (!child) return;
    const exited = new Promise((r) => child.once('exit', r));
    child.kill(signal);
    await exited;
  }

  async get(path: string): Promise<Reply> {
    const res = await fetch(this.url + path, { signal: AbortSignal.timeout(10_000) });
    const text = await res.text();
    return { status: res.status, body: text && res.headers.get('content-type')?.includes('json') ? JSON.parse(text) : text };
  }

  /** POSTs JSON; a connection failure (a killed process) answers status 0. */
  async post(path: string, body: unknown, headers: Record<string, string> = {}): Promise<Reply> {
    try {
      const res = await fetch(this.url + path, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: Fleet.authorization, ...headers },
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(30_000),
      });
      const text = await res.text();
      return { status: res.status, body: text ? JSON.parse(text) : undefined };
    } catch (err) {
      return { status: 0, body: { code: 'CONNECTION_FAILED', message: (err as Error).message } };
    }
  }
}

/** Several service processes on one set of private services. */
export class Fleet {
  static authorization = '';
  private constructor(
    readonly instances: Instance[],
    private readonly base: Record<string, string>,
    private readonly dir: string,
  ) {}

  static async start(services: PrivateServices, count: number, env: Record<string, string> = {}): Promise<Fleet> {
    if (!existsSync(SERVER)) throw new Error(`${SERVER} is missing: run \`npm run build\` first (npm run test:chaos does)`);
    Fleet.authorization = `Bearer ${await mintToken({ expiresInSeconds: 4 * 3600 })}`;
    const { databaseUrl, redisUrl, natsUrl } = services.urls;
    const base = { ...CHAOS_ENV, DATABASE_URL: databaseUrl, REDIS_URL: redisUrl, NATS_URL: natsUrl, ...env };
    const instances: Instance[] = [];
    for (let i = 0; i < count; i++) {
      instances.push(new Instance(`instance-${i + 1}`, await freePort(), base, join(services.dir, `instance-${i + 1}.log`)));
    }
    // One at a time: the first one creates the JetStream streams the others find.
    for (const instance of instances) await instance.start();
    return new Fleet(instances, base, services.dir);
  }

  /** Starts one more instance, with settings of its own on top of the fleet's. */
  async add(env: Record<string, string> = {}): Promise<Instance> {
    const name = `instance-${this.instances.length + 1}`;
    const instance = new Instance(name, await freePort(), { ...this.base, ...env }, join(this.dir, `${name}.log`));
    await instance.start();
    this.instances.push(instance);
    return instance;
  }

  /** Round-robin over the running instances. */
  private next = 0;
  pick(): Instance {
    const running = this.instances.filter((i) => i.running);
    if (running.length === 0) throw new Error('no instance is running');
    return running[this.next++ % running.length]!;
  }

  post(path: string, body: unknown, headers?: Record<string, string>) {
    return this.pick().post(path, body, headers);
  }

  /** POSTs and insists on a 200. */
  async ok<T = any>(path: string, body: unknown): Promise<T> {
    const res = await this.post(path, body);
    if (res.status !== 200) throw new Error(`${path} answered ${res.status}: ${JSON.stringify(res.body)}`);
    return res.body as T;
  }

  async close(): Promise<void> {
    await Promise.all(this.instances.map((i) => i.kill('SIGTERM')));
  }

  /** The first error lines (pino level 50+) the instances logged: context for a failed assertion. */
  errorLog(max = 5): string {
    const lines: string[] = [];
    for (const instance of this.instances) {
      const path = join(this.dir, `${instance.name}.log`);
      if (!existsSync(path)) continue;
      for (const line of readFileSync(path, 'utf8').split('\n')) {
        if (/"level":(50|60)/.test(line) && lines.length < max) lines.push(`${instance.name}: ${line.slice(0, 1500)}`);
      }
    }
    return lines.join('\n');
  }
}

/** Waits until every running instance's /readyz reports `dependency` as `status`. */
export async function readinessSettles(fleet: Fleet, dependency: 'mysql' | 'redis' | 'nats', status: 'up' | 'down') {
  for (const instance of fleet.instances.filter((i) => i.running)) {
    await until(`${instance.name} to report ${dependency} ${status}`, async () => {
      const ready = await instance.get('/readyz').catch(() => null);
      return ready?.body?.checks?.[dependency]?.status === status;
    });
  }
}
