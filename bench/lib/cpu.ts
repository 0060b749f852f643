// CPU accounting of a run: CPU time of each process involved (the service, MariaDB, Redis,
// NATS, the bench itself, which is also the load generator) and how busy the machine was.
// Read from /proc, so Linux only; a process that cannot be found is left out.
import { readdirSync, readFileSync } from 'node:fs';
import { config } from './config.js';

const TICK_MS = 10; // CLK_TCK 100

function cpuMsOf(pid: number): number | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // fields[0] is field 3 (state): utime is field 14, stime field 15.
    return (Number(fields[11]) + Number(fields[12])) * TICK_MS;
  } catch {
    return null;
  }
}

function cmdline(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ').trim();
  } catch {
    return '';
  }
}

function comm(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/comm`, 'utf8').trim();
  } catch {
    return '';
  }
}

const portOf = (url: string, fallback: number) => {
  try {
    return Number(new URL(url).port || fallback);
  } catch {
    return fallback;
  }
};

/**
 * The daemons the service talks to. Other copies may run on the machine (test suites start
 * private ones): the one whose command line names the configured port, or, for MariaDB on
 * 3306, the one started without a --port.
 */
export function findDaemons(): Record<'mariadb' | 'redis' | 'nats', number | null> {
  const found: Record<'mariadb' | 'redis' | 'nats', number | null> = { mariadb: null, redis: null, nats: null };
  const dbPort = portOf(config.databaseUrl, 3306);
  const redisPort = portOf(config.redisUrl, 6379);
  const natsPort = portOf(config.natsUrl.replace(/^nats:/, 'http:'), 4222);
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const pid = Number(entry);
    const name = comm(pid);
    const cmd = cmdline(pid);
    if ((name === 'mariadbd' || name === 'mysqld') && found.mariadb === null) {
      const port = /--port[= ](\d+)/.exec(cmd)?.[1];
      if ((port ? Number(port) : 3306) === dbPort) found.mariadb = pid;
    } else if (name === 'redis-server' && found.redis === null && new RegExp(`:${redisPort}\\b`).test(cmd)) {
      found.redis = pid;
    } else if (name === 'nats-server' && found.nats === null) {
      const port = /(?:-p|--port)[= ](\d+)/.exec(cmd)?.[1];
      if ((port ? Number(port) : 4222) === natsPort) found.nats = pid;
    }
  }
  return found;
}

/** Cumulative CPU milliseconds per role, and the machine's busy/total jiffies. */
export function cpuSnapshot(servicePids: number[], daemons: ReturnType<typeof findDaemons>): Record<string, number> {
  const snap: Record<string, number> = {};
  let service = 0;
  for (const pid of servicePids) service += cpuMsOf(pid) ?? 0;
  snap.cpuService = service;
  for (const [role, pid] of Object.entries(daemons)) {
    const ms = pid === null ? null : cpuMsOf(pid);
    if (ms !== null) snap[`cpu${role[0]!.toUpperCase()}${role.slice(1)}`] = ms;
  }
  const self = process.cpuUsage();
  snap.cpuBench = (self.user + self.system) / 1000;
  const [, ...ticks] = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/);
  const n = ticks.map(Number);
  const total = n.reduce((a, b) => a + b, 0);
  const idle = (n[3] ?? 0) + (n[4] ?? 0);
  snap.machineBusy = total - idle;
  snap.machineTotal = total;
  return snap;
}
