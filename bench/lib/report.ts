// The results: one table (req/s, p50, p99, ratio to the matching floor), the targets of
// issue 6, memory, the two-process run; printed, and written as JSON and Markdown.
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { config, RESULTS_DIR } from './config.js';
import type { Measurement } from './load.js';
import type { Memory } from './processes.js';
import { round } from './util.js';

export type Floor = 'fastify' | 'tx';

export interface Row {
  name: string;
  label: string;
  reqPerSec: number;
  p50: number;
  p99: number;
  floor: Floor | null;
  ratio: number | null;
  p99Ratio: number | null;
  non2xx: number;
  notes: string;
}

export interface Target {
  text: string;
  value: string;
  met: boolean | null;
}

export interface LogSummary {
  file: string;
  errorLines: number;
  warnLines: number;
  topMessages: { level: string; msg: string; count: number }[];
}

export interface Report {
  startedAt: string;
  finishedAt: string;
  machine: Record<string, string | number>;
  settings: Record<string, string | number | boolean>;
  seed: { seconds: number; counts: Record<string, number> } | null;
  floors: Partial<Record<Floor, Measurement>>;
  scenarios: Measurement[];
  cluster: { workers: number; scenarios: Measurement[]; memory: Memory | null; perWorkerMemory: Memory[] } | null;
  memory: { service: Memory | null };
  rows: Row[];
  targets: Target[];
  logs: LogSummary[];
  /** Scenario -> summary of its CPU profile (BENCH_PROFILE). */
  profiles: Record<string, string> | null;
  notes: string[];
}

export const FLOOR_OF: Record<string, Floor> = {
  'recipe-get': 'fastify',
  'npc-variables': 'fastify',
  'npc-variables-no-best': 'fastify',
  'estimate-quality': 'fastify',
  advance: 'tx',
  craft: 'tx',
};

const ratio = (a: number, b: number | undefined) => (b ? round(a / b, 3) : null);

export function buildRows(report: Pick<Report, 'floors' | 'scenarios' | 'cluster'>): Row[] {
  const rows: Row[] = [];
  const floorRow = (f: Floor, m: Measurement | undefined) => {
    if (!m) return;
    rows.push({ name: m.name, label: m.label, reqPerSec: m.reqPerSec, p50: m.latencyMs.p50, p99: m.latencyMs.p99, floor: null, ratio: null, p99Ratio: null, non2xx: m.non2xx, notes: m.extra.noisy ? `floor; NOISY: ${m.extra.noisy}` : 'floor' });
  };
  floorRow('fastify', report.floors.fastify);
  floorRow('tx', report.floors.tx);
  for (const m of report.scenarios) {
    const floor = FLOOR_OF[m.name] ?? null;
    const f = floor ? report.floors[floor] : undefined;
    const notes: string[] = [];
    if (m.name === 'craft') {
      notes.push(`${m.extra.craftsPerSec} crafts/s`);
      notes.push(`start p50/p99 ${m.extra.startP50}/${m.extra.startP99} ms, advance ${m.extra.advanceP50}/${m.extra.advanceP99} ms, completing advance ${m.extra.completingAdvanceP50}/${m.extra.completingAdvanceP99} ms`);
    }
    if (m.extra.outboxPendingAfter) notes.push(`outbox backlog after run: ${m.extra.outboxPendingAfter}`);
    if (m.extra.noisy) notes.push(`NOISY: ${m.extra.noisy}`);
    if (m.extra.sessionsExhausted) notes.push(`RAN OUT OF SESSIONS ${m.extra.sessionsExhausted} times`);
    rows.push({
      name: m.name,
      label: m.label,
      reqPerSec: m.reqPerSec,
      p50: m.latencyMs.p50,
      p99: m.latencyMs.p99,
      floor,
      ratio: f ? ratio(m.reqPerSec, f.reqPerSec) : null,
      p99Ratio: f && (m.name === 'advance' || m.name === 'craft') ? ratio(m.latencyMs.p99, f.latencyMs.p99) : null,
      non2xx: m.non2xx,
      notes: notes.join('; '),
    });
  }
  if (report.cluster) {
    for (const m of report.cluster.scenarios) {
      const base = report.scenarios.find((s) => s.name === m.name.replace(/-x\d+$/, ''));
      const floor = FLOOR_OF[m.name.replace(/-x\d+$/, '')] ?? null;
      const f = floor ? report.floors[floor] : undefined;
      rows.push({
        name: m.name,
        label: m.label,
        reqPerSec: m.reqPerSec,
        p50: m.latencyMs.p50,
        p99: m.latencyMs.p99,
        floor,
        ratio: f ? ratio(m.reqPerSec, f.reqPerSec) : null,
        p99Ratio: f && m.name.startsWith('advance') ? ratio(m.latencyMs.p99, f.latencyMs.p99) : null,
        non2xx: m.non2xx,
        notes: [base ? `${round(m.reqPerSec / base.reqPerSec, 2)} x one process` : '', m.extra.noisy ? `NOISY: ${m.extra.noisy}` : ''].filter(Boolean).join('; '),
      });
    }
  }
  return rows;
}

export function buildTargets(report: Pick<Report, 'floors' | 'scenarios'>): Target[] {
  const s = (name: string) => report.scenarios.find((m) => m.name === name);
  const { fastify, tx } = report.floors;
  const targets: Target[] = [];
  const adv = s('advance');
  targets.push(
    adv && tx
      ? { text: 'session/advance >= 0.5 x raw transaction floor (req/s)', value: `${round(adv.reqPerSec / tx.reqPerSec, 3)} x`, met: adv.reqPerSec >= 0.5 * tx.reqPerSec }
      : { text: 'session/advance >= 0.5 x raw transaction floor (req/s)', value: 'not measured', met: null },
  );
  targets.push(
    adv && tx
      ? { text: 'session/advance p99 <= 2 x raw transaction floor p99', value: `${adv.latencyMs.p99} ms vs ${tx.latencyMs.p99} ms (${round(adv.latencyMs.p99 / tx.latencyMs.p99, 2)} x)`, met: adv.latencyMs.p99 <= 2 * tx.latencyMs.p99 }
      : { text: 'session/advance p99 <= 2 x raw transaction floor p99', value: 'not measured', met: null },
  );
  const get = s('recipe-get');
  targets.push(
    get && fastify
      ? { text: 'recipe/get >= 0.25 x bare Fastify floor', value: `${round(get.reqPerSec / fastify.reqPerSec, 3)} x`, met: get.reqPerSec >= 0.25 * fastify.reqPerSec }
      : { text: 'recipe/get >= 0.25 x bare Fastify floor', value: 'not measured', met: null },
  );
  for (const name of ['npc-variables', 'npc-variables-no-best']) {
    const m = s(name);
    const what = name === 'npc-variables' ? 'incl. best_recipe' : 'without best_recipe';
    targets.push(
      m && fastify
        ? { text: `NPC variables (10, ${what}) >= 0.1 x bare Fastify floor`, value: `${round(m.reqPerSec / fastify.reqPerSec, 4)} x`, met: m.reqPerSec >= 0.1 * fastify.reqPerSec }
        : { text: `NPC variables (10, ${what}) >= 0.1 x bare Fastify floor`, value: 'not measured', met: null },
    );
  }
  const est = s('estimate-quality');
  const one = s('estimate-quality-1conn');
  targets.push(
    est
      ? {
          text: `estimate-quality (${config.simulations} simulations) p99 < 50 ms`,
          value: `${est.latencyMs.p99} ms at ${config.connections} connections${one ? ` (${one.latencyMs.p99} ms at 1 connection)` : ''}`,
          met: est.latencyMs.p99 < 50,
        }
      : { text: `estimate-quality (${config.simulations} simulations) p99 < 50 ms`, value: 'not measured', met: null },
  );
  return targets;
}

const fmt = (n: number | null | undefined, digits = 2) => (n === null || n === undefined ? '' : String(round(n, digits)));
const metText = (t: Target) => (t.met === null ? 'n/a' : t.met ? 'MET' : 'NOT MET');

export function tableText(rows: Row[]): string {
  const header = ['scenario', 'req/s', 'p50 ms', 'p99 ms', 'floor', 'x floor', 'p99 x floor', 'non-2xx'];
  const body = rows.map((r) => [r.name, fmt(r.reqPerSec, 1), fmt(r.p50, 1), fmt(r.p99, 1), r.floor ?? '', fmt(r.ratio, 3), fmt(r.p99Ratio, 2), String(r.non2xx)]);
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((b) => b[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...body.map(line)].join('\n');
}

const allMeasurements = (r: Pick<Report, 'floors' | 'scenarios' | 'cluster'>) => [
  ...(r.floors.fastify ? [r.floors.fastify] : []),
  ...(r.floors.tx ? [r.floors.tx] : []),
  ...r.scenarios,
  ...(r.cluster?.scenarios ?? []),
];

const RESOURCE_COLUMNS: [string, string][] = [
  ['cpuServiceMsPerReq', 'service CPU ms'],
  ['cpuMariadbMsPerReq', 'MariaDB CPU ms'],
  ['cpuRedisMsPerReq', 'Redis CPU ms'],
  ['cpuNatsMsPerReq', 'NATS CPU ms'],
  ['cpuBenchMsPerReq', 'load generator CPU ms'],
  ['machineBusyPct', 'machine busy %'],
  ['otherBusyPct', 'of which other %'],
  ['dbStatementsPerReq', 'SQL statements'],
  ['dbCommitsPerReq', 'SQL commits'],
  ['redisCommandsPerReq', 'Redis commands'],
];

/** Per request: CPU time of each process, and round trips to MariaDB and Redis. */
export function resourceRows(r: Pick<Report, 'floors' | 'scenarios' | 'cluster'>): string[][] {
  return allMeasurements(r).map((m) => [m.name, ...RESOURCE_COLUMNS.map(([k]) => (typeof m.extra[k] === 'number' ? String(m.extra[k]) : ''))]);
}

export function resourceText(r: Pick<Report, 'floors' | 'scenarios' | 'cluster'>): string {
  const header = ['per request', ...RESOURCE_COLUMNS.map(([, h]) => h)];
  const body = resourceRows(r);
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((b) => b[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...body.map(line)].join('\n');
}

export function targetsText(targets: Target[]): string {
  return targets.map((t) => `  [${metText(t).padEnd(7)}] ${t.text}: ${t.value}`).join('\n');
}

export function markdown(report: Report): string {
  const m = report.machine;
  const out: string[] = [];
  out.push(`# lib-craft benchmark results`, '');
  out.push(`Run ${report.startedAt} .. ${report.finishedAt} on ${m.cpus} cores (${m.cpuModel}), ${m.memoryGb} GiB, Node ${m.node}, MariaDB ${m.mariadb}, Redis ${m.redis}, NATS ${m.nats}.`);
  out.push(`Code: ${report.settings.code}.`);
  out.push(`${config.connections} connections, no pipelining, ${report.settings.warmupSeconds} s warm-up + ${report.settings.durationSeconds} s measured per scenario; service pool ${report.settings.dbPool} connections; token scope ${report.settings.tokenScope}.`, '');
  out.push('| Scenario | What | req/s | p50 ms | p99 ms | Floor | × floor (req/s) | × floor (p99) | non-2xx | Notes |');
  out.push('|---|---|---:|---:|---:|---|---:|---:|---:|---|');
  for (const r of report.rows) {
    out.push(`| ${r.name} | ${r.label} | ${fmt(r.reqPerSec, 1)} | ${fmt(r.p50, 1)} | ${fmt(r.p99, 1)} | ${r.floor ?? ''} | ${fmt(r.ratio, 3)} | ${fmt(r.p99Ratio, 2)} | ${r.non2xx} | ${r.notes} |`);
  }
  out.push('', '### Per request: CPU time of each process, round trips', '');
  out.push(
    'CPU milliseconds per request of the service process(es), MariaDB, Redis, NATS and the load generator (this bench, autocannon), from /proc; how busy the 2 cores were, and how much of that was neither of these processes (kernel, or anything else running: a high value means a noisy run); SQL statements and commits (MariaDB `Questions`, `Com_commit`) and Redis commands per request, from server-wide counters (any other client of the same servers adds to them).',
    '',
  );
  out.push(`| ${['Scenario', ...RESOURCE_COLUMNS.map(([, h]) => h)].join(' | ')} |`);
  out.push(`|---|${RESOURCE_COLUMNS.map(() => '---:').join('|')}|`);
  for (const row of resourceRows(report)) out.push(`| ${row.join(' | ')} |`);
  out.push('', '## Targets (issue 6)', '');
  for (const t of report.targets) out.push(`- **${metText(t)}** ${t.text}: ${t.value}`);
  out.push('', '## Memory', '');
  const mem = (x: Memory | null) => (x ? `${round(x.rssMb, 1)} MiB RSS (peak ${round(x.peakRssMb, 1)} MiB)` : 'n/a');
  out.push(`- one service process at the end of its scenarios: ${mem(report.memory.service)}`);
  if (report.cluster) {
    out.push(`- ${report.cluster.workers} workers at the end of the two-process run: ${report.cluster.perWorkerMemory.map(mem).join('; ')}; total ${mem(report.cluster.memory)}`);
  }
  if (report.seed) {
    out.push('', '## Data set', '');
    out.push(`Seeded in ${round(report.seed.seconds, 1)} s: ${Object.entries(report.seed.counts).map(([k, v]) => `${v} ${k}`).join(', ')}.`);
  }
  if (report.logs.length) {
    out.push('', '## Service logs (level warn and above)', '');
    for (const l of report.logs) {
      out.push(`- ${l.file}: ${l.errorLines} error lines, ${l.warnLines} warn lines${l.topMessages.length ? `; most frequent: ${l.topMessages.map((t) => `${t.count} x ${t.level} "${t.msg}"`).join(', ')}` : ''}`);
    }
  }
  const errs = allMeasurements(report).filter((s) => s.non2xx > 0 || s.errors > 0);
  if (errs.length) {
    out.push('', '## Non-2xx answers and socket errors', '');
    for (const s of errs) {
      out.push(`- ${s.name}: ${s.non2xx} non-2xx, ${s.errors} socket errors (${s.timeouts} timeouts); ${Object.entries(s.errorCodes).map(([k, v]) => `${v} x ${k}`).join(', ')}`);
    }
  }
  for (const [name, summary] of Object.entries(report.profiles ?? {})) out.push('', `## CPU profile: ${name}`, '', '```', summary, '```');
  if (report.notes.length) out.push('', '## Notes', '', ...report.notes.map((n) => `- ${n}`));
  return `${out.join('\n')}\n`;
}

/** Writes `<timestamp>.{json,md}`, and `latest.{json,md}` for a complete run (not a BENCH_ONLY one). */
export function writeReport(report: Report, asLatest: boolean): string[] {
  mkdirSync(RESULTS_DIR, { recursive: true });
  const stamp = report.startedAt.replace(/[:.]/g, '-');
  const json = `${JSON.stringify(report, null, 2)}\n`;
  const md = markdown(report);
  const names = [`${stamp}.json`, `${stamp}.md`, ...(asLatest ? ['latest.json', 'latest.md'] : [])];
  const files = names.map((n) => path.join(RESULTS_DIR, n));
  for (const f of files) writeFileSync(f, f.endsWith('.json') ? json : md);
  return files;
}

export function machineInfo(versions: { mariadb: string; redis: string; nats: string }): Record<string, string | number> {
  return {
    cpus: os.availableParallelism(),
    cpuModel: os.cpus()[0]?.model ?? 'unknown',
    memoryGb: round(os.totalmem() / 2 ** 30, 1),
    os: `${os.type()} ${os.release()}`,
    node: process.version,
    ...versions,
  };
}
