import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { TEST_JWT_SECRET } from '../../helpers/tokens.js';
import { freePort, until, type PrivateServices } from './infra.js';

const ROOT = fileURLToPath(new URL('../../..', import.meta.url));
const SERVER = join(ROOT, 'dist/stub-server/main.js');

/**
 * The stub server (`node dist/stub-server/main.js`) as its own process: the neighbours
 * lib-craft calls over HTTP. It keeps its port across restarts, so the instances' clients
 * find it again; its contract calls back into the given lib-craft instances.
 */
export class StubServerProcess {
  private child: ChildProcess | null = null;
  private constructor(
    readonly port: number,
    private readonly env: Record<string, string>,
    private readonly logFile: string,
  ) {}

  static async start(services: PrivateServices, craftUrls: string[], port?: number): Promise<StubServerProcess> {
    if (!existsSync(SERVER)) throw new Error(`${SERVER} is missing: run \`npm run build\` first (npm run test:chaos does)`);
    const env = {
      DATABASE_URL: services.urls.databaseUrl,
      NATS_URL: services.urls.natsUrl,
      HOST: '127.0.0.1',
      LOG_LEVEL: 'warn',
      STUBS_AUTH_JWT_SECRET: TEST_JWT_SECRET,
      STUBS_CRAFT_URL: craftUrls.join(','),
      STUBS_CRAFT_JWT_SECRET: TEST_JWT_SECRET,
    };
    const server = new StubServerProcess(port ?? (await freePort()), env, join(services.dir, 'stub-server.log'));
    await server.start();
    return server;
  }

  get url() {
    return `http://127.0.0.1:${this.port}`;
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
    // Ready: its database and NATS answer, so the first calls are not cold.
    await until('the stub server to be ready', async () => {
      if (!this.child) throw new Error(`the stub server exited during startup; see ${this.logFile}`);
      const res = await fetch(`${this.url}/readyz`).catch(() => null);
      return res?.status === 200;
    });
  }

  /** Kills the process without warning: calls in flight die with it. */
  async kill(): Promise<void> {
    const child = this.child;
    if (!child) return;
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGKILL');
    await exited;
  }

  /** Every call waits `ms` before it is handled (0: none). */
  async latency(ms: number, token: string): Promise<void> {
    const res = await fetch(`${this.url}/stubs/admin/latency`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: token },
      body: JSON.stringify({ ms }),
    });
    if (res.status !== 200) throw new Error(`latency: ${res.status} ${await res.text()}`);
  }

  close(): Promise<void> {
    return this.kill();
  }
}
