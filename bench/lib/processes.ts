// Child processes of the bench: the service (one process or a cluster), the two floors.
import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { config, RESULTS_DIR, ROOT } from './config.js';
import { sleep } from './util.js';

export interface Proc {
  name: string;
  child: ChildProcess;
  pid: number;
  logPath: string;
  exited: Promise<number | null>;
  /** Resolves when stdout printed a line matching `readyLine` (if given). */
  sawReadyLine: Promise<void>;
}

export function startProcess(
  name: string,
  args: string[],
  env: NodeJS.ProcessEnv,
  opts: { readyLine?: RegExp } = {},
): Proc {
  const logPath = path.join(RESULTS_DIR, `${name}.log`);
  const out = createWriteStream(logPath);
  const child = spawn(process.execPath, args, { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let onReady: () => void = () => undefined;
  const sawReadyLine = new Promise<void>((resolve) => (onReady = resolve));
  let pending = '';
  child.stdout!.on('data', (chunk: Buffer) => {
    out.write(chunk);
    if (!opts.readyLine) return;
    pending += chunk.toString('utf8');
    const lines = pending.split('\n');
    pending = lines.pop() ?? '';
    if (lines.some((l) => opts.readyLine!.test(l))) onReady();
  });
  child.stderr!.on('data', (chunk: Buffer) => out.write(chunk));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  if (child.pid === undefined) throw new Error(`could not start ${name}`);
  return { name, child, pid: child.pid, logPath, exited, sawReadyLine };
}

/** Polls `url` until it answers 200; fails early when the process exits. */
export async function waitReady(proc: Proc, url: string, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let exitCode: number | null | undefined;
  void proc.exited.then((code) => (exitCode = code));
  for (;;) {
    if (exitCode !== undefined) throw new Error(`${proc.name} exited (code ${exitCode}) before it was ready; see ${proc.logPath}:\n${tail(proc.logPath)}`);
    try {
      const res = await fetch(url);
      if (res.status === 200) {
        await res.arrayBuffer();
        return;
      }
      await res.arrayBuffer();
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`${proc.name} not ready at ${url} after ${timeoutMs} ms; see ${proc.logPath}:\n${tail(proc.logPath)}`);
    await sleep(200);
  }
}

export async function stopProcess(proc: Proc, timeoutMs = 20_000): Promise<number | null> {
  if (proc.child.exitCode !== null || proc.child.signalCode !== null) return proc.child.exitCode;
  proc.child.kill('SIGTERM');
  const code = await Promise.race([proc.exited, sleep(timeoutMs).then(() => 'timeout' as const)]);
  if (code === 'timeout') {
    proc.child.kill('SIGKILL');
    return proc.exited;
  }
  return code;
}

export function tail(file: string, lines = 20): string {
  try {
    return readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '';
  }
}

export interface Memory {
  rssMb: number;
  peakRssMb: number;
}

/** VmRSS and VmHWM (peak) of a live process, in MiB. */
export function memoryOf(pid: number): Memory | null {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN);
    return { rssMb: kb('VmRSS') / 1024, peakRssMb: kb('VmHWM') / 1024 };
  } catch {
    return null;
  }
}

/** Direct children of a process (the cluster's workers). */
export function childrenOf(pid: number): number[] {
  const kids: number[] = [];
  try {
    for (const tid of readdirSync(`/proc/${pid}/task`)) {
      const text = readFileSync(`/proc/${pid}/task/${tid}/children`, 'utf8').trim();
      if (text) kids.push(...text.split(/\s+/).map(Number));
    }
  } catch {
    // gone
  }
  return kids;
}

/** Environment of the service: the inherited one without any craft setting, plus the bench's. */
export function serviceEnv(port: number): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  const strip = /^(CRAFT_|DATABASE_|REDIS_URL$|NATS_URL$|HOST$|PORT$|LOG_LEVEL$|NODE_OPTIONS$|BENCH_)/;
  for (const [k, v] of Object.entries(process.env)) if (!strip.test(k)) env[k] = v;
  return {
    ...env,
    NODE_ENV: 'production',
    DATABASE_URL: config.databaseUrl,
    DATABASE_CONNECTION_LIMIT: String(config.dbPool),
    REDIS_URL: config.redisUrl,
    NATS_URL: config.natsUrl,
    HOST: '127.0.0.1',
    PORT: String(port),
    LOG_LEVEL: 'warn',
    CRAFT_STANDALONE: 'true',
    CRAFT_AUTH_JWT_SECRET: config.jwtSecret,
    CRAFT_RATE_LIMIT_PER_MINUTE: '0',
    CRAFT_PROFICIENCY_SOURCE: 'local',
    CRAFT_REDIS_KEY_PREFIX: config.redisPrefix,
    CRAFT_NATS_STREAM: config.natsStream,
    CRAFT_EVENT_SUBJECT_PREFIX: config.eventPrefix,
    CRAFT_CONTRACT_STREAM: config.contractStream,
    CRAFT_CONTRACT_SUBJECT_PREFIX: config.contractPrefix,
  };
}

export function floorEnv(port: number): NodeJS.ProcessEnv {
  return { ...serviceEnv(port), FLOOR_PORT: String(port), FLOOR_DB_POOL: String(config.dbPool) };
}

/** One service process from the production build; `nodeArgs` e.g. --cpu-prof. */
export async function startService(name: string, port: number, nodeArgs: string[] = []): Promise<Proc> {
  const proc = startProcess(name, [...nodeArgs, 'dist/server.js'], serviceEnv(port));
  await waitReady(proc, `http://127.0.0.1:${port}/readyz`);
  await sleep(300);
  if (proc.child.exitCode !== null) throw new Error(`${name} exited right after start (code ${proc.child.exitCode}); see ${proc.logPath}:\n${tail(proc.logPath)}`);
  return proc;
}

/** `clusterWorkers` service processes behind one port (node:cluster, bench/cluster.ts). */
export async function startCluster(name: string, port: number, workers: number): Promise<Proc> {
  const proc = startProcess(name, ['--import', 'tsx', 'bench/cluster.ts'], { ...serviceEnv(port), BENCH_CLUSTER_WORKERS: String(workers) }, {
    readyLine: /^cluster: all \d+ workers listening/,
  });
  await Promise.race([
    proc.sawReadyLine,
    proc.exited.then((code) => {
      throw new Error(`${name} exited (code ${code}); see ${proc.logPath}:\n${tail(proc.logPath)}`);
    }),
    sleep(90_000).then(() => {
      throw new Error(`${name}: workers not listening after 90 s; see ${proc.logPath}`);
    }),
  ]);
  await waitReady(proc, `http://127.0.0.1:${port}/readyz`);
  return proc;
}

export async function startFloor(name: string, file: string, port: number): Promise<Proc> {
  const proc = startProcess(name, ['--import', 'tsx', file], floorEnv(port));
  await waitReady(proc, `http://127.0.0.1:${port}/ready`);
  return proc;
}
