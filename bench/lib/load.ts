// Load generation: autocannon (programmatic), a fixed number of connections without
// pipelining, a warm-up run whose numbers are thrown away, then the measured run.
import autocannon from 'autocannon';
import { config } from './config.js';
import { log, percentiles, round } from './util.js';

/** Non-200 answers of a run, by status and error code, with a few sample bodies. */
export class ErrorLog {
  readonly counts = new Map<string, number>();
  readonly samples: string[] = [];

  record(status: number, body: string): void {
    let code = '';
    try {
      code = String((JSON.parse(body) as { code?: unknown }).code ?? '');
    } catch {
      // not JSON
    }
    const key = `${status}${code ? ` ${code}` : ''}`;
    this.counts.set(key, (this.counts.get(key) ?? 0) + 1);
    if (this.samples.length < 5) this.samples.push(`${status} ${body.slice(0, 300)}`);
  }

  get total(): number {
    let n = 0;
    for (const v of this.counts.values()) n += v;
    return n;
  }

  toJSON(): Record<string, number> {
    return Object.fromEntries(this.counts);
  }
}

/** What a scenario's request hooks record during one run. */
export class RunStats {
  readonly errors = new ErrorLog();
  readonly counters: Record<string, number> = {};
  readonly latencies: Record<string, number[]> = {};

  count(name: string, n = 1): void {
    this.counters[name] = (this.counters[name] ?? 0) + n;
  }

  latency(name: string, ms: number): void {
    (this.latencies[name] ??= []).push(ms);
  }
}

export interface Measurement {
  name: string;
  label: string;
  connections: number;
  durationS: number;
  requests: number;
  reqPerSec: number;
  latencyMs: { p50: number; p90: number; p99: number; avg: number; max: number };
  non2xx: number;
  errors: number;
  timeouts: number;
  statusCodes: Record<string, number>;
  errorCodes: Record<string, number>;
  errorSamples: string[];
  /** Scenario-specific figures (crafts/s, per-kind latencies, outbox lag...). */
  extra: Record<string, number | string | null>;
}

export interface LoadSpec {
  name: string;
  label: string;
  url: string;
  /** Fresh request definitions for one run, recording into `stats`. */
  requests: (stats: RunStats) => autocannon.Request[];
  headers?: Record<string, string>;
  /** Called after each run (warm-up too): put back what the run left in flight. */
  afterRun?: (stats: RunStats) => Promise<void>;
  /** Figures derived from the measured run's stats. */
  extra?: (stats: RunStats, durationS: number) => Record<string, number | string | null>;
  /** Counters read before and after the measured run; `derive` turns their deltas into `extra` figures. */
  counters?: {
    read: () => Promise<Record<string, number>>;
    derive: (delta: Record<string, number>, requests: number) => Record<string, number>;
  };
  /** Connections of this scenario (default BENCH_CONNECTIONS). */
  connections?: number;
}

async function runOnce(spec: LoadSpec, seconds: number, stats: RunStats): Promise<autocannon.Result> {
  const result = await autocannon({
    url: spec.url,
    connections: spec.connections ?? config.connections,
    pipelining: 1,
    duration: seconds,
    timeout: 10,
    headers: { 'content-type': 'application/json', ...spec.headers },
    requests: spec.requests(stats),
  });
  await spec.afterRun?.(stats);
  return result;
}

export async function measure(spec: LoadSpec): Promise<Measurement> {
  if (config.warmupSeconds > 0) {
    const warm = new RunStats();
    await runOnce(spec, config.warmupSeconds, warm);
  }
  const stats = new RunStats();
  const before = await spec.counters?.read();
  const r = await runOnce(spec, config.durationSeconds, stats);
  const after = await spec.counters?.read();
  const statusCodes = Object.fromEntries(Object.entries(r.statusCodeStats ?? {}).map(([k, v]) => [k, v.count ?? 0]));
  const m: Measurement = {
    name: spec.name,
    label: spec.label,
    connections: spec.connections ?? config.connections,
    durationS: round(r.duration, 2),
    requests: r.requests.total,
    reqPerSec: round(r.requests.total / r.duration, 1),
    latencyMs: { p50: r.latency.p50, p90: r.latency.p90, p99: r.latency.p99, avg: round(r.latency.average, 2), max: r.latency.max },
    non2xx: r.non2xx,
    errors: r.errors,
    timeouts: r.timeouts,
    statusCodes,
    errorCodes: stats.errors.toJSON(),
    errorSamples: stats.errors.samples,
    extra: spec.extra?.(stats, r.duration) ?? {},
  };
  if (spec.counters && before && after && r.requests.total > 0) {
    const delta = Object.fromEntries(Object.entries(after).map(([k, v]) => [k, v - (before[k] ?? 0)]));
    Object.assign(m.extra, spec.counters.derive(delta, r.requests.total));
  }
  log(
    `  ${spec.name}: ${m.reqPerSec} req/s, p50 ${m.latencyMs.p50} ms, p99 ${m.latencyMs.p99} ms` +
      (m.non2xx || m.errors ? `, non-2xx ${m.non2xx}, socket errors ${m.errors} (timeouts ${m.timeouts})` : '') +
      (Object.keys(m.extra).length ? `, ${Object.entries(m.extra).map(([k, v]) => `${k} ${v}`).join(', ')}` : ''),
  );
  for (const [code, n] of Object.entries(m.errorCodes)) log(`    ${n} x ${code}`);
  return m;
}

/** A POST whose body rotates over prebuilt bodies; non-200 answers are recorded. */
export function rotatingPost(path: string, bodies: string[]): (stats: RunStats) => autocannon.Request[] {
  let i = 0;
  return (stats) => [
    {
      method: 'POST',
      path,
      setupRequest: (req) => {
        req.body = bodies[i++ % bodies.length];
        return req;
      },
      onResponse: (status, body) => {
        if (status !== 200) stats.errors.record(status, body);
      },
    },
  ];
}

/** A constant POST, no per-request hooks (the floors: nothing on the client side but the request). */
export function constantPost(path: string, body: string): () => autocannon.Request[] {
  return () => [{ method: 'POST', path, body }];
}

export function latencySummary(samples: number[] | undefined): { p50: number; p99: number } {
  const [p50, p99] = percentiles(samples ?? [], [50, 99]);
  return { p50: round(p50!, 1), p99: round(p99!, 1) };
}
