// Every knob of `npm run bench`, read once from the environment (see bench/README.md).
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { envBool, envInt } from './util.js';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const RESULTS_DIR = path.join(ROOT, 'bench/results');

/** The bench database: the server of DATABASE_URL (default local root), database `craft_bench`. */
function benchDatabaseUrl(): string {
  if (process.env.BENCH_DATABASE_URL) return process.env.BENCH_DATABASE_URL;
  const url = new URL(process.env.DATABASE_URL || 'mysql://root@127.0.0.1:3306/craft');
  url.pathname = '/craft_bench';
  return url.toString();
}

function profileList(raw: string | undefined): string[] {
  if (!raw || raw === '0' || raw === 'false') return [];
  if (raw === '1' || raw === 'true') return ['advance'];
  return raw.split(',').map((s) => s.trim()).filter(Boolean);
}

const scenarioFilter = (process.env.BENCH_ONLY ?? '')
  .split(',')
  .map((s) => s.trim())
  .filter(Boolean);

export const config = {
  /** Measured seconds per scenario, after `warmupSeconds` of unmeasured load. */
  durationSeconds: envInt('BENCH_DURATION', 20, 1),
  warmupSeconds: envInt('BENCH_WARMUP', 5, 0),
  connections: envInt('BENCH_CONNECTIONS', 50, 1),
  /** Data set. */
  entities: envInt('BENCH_ENTITIES', 10_000, 100),
  recipes: envInt('BENCH_RECIPES', 1_000, 40),
  domains: 20,
  /** Crafters reserved for the full-craft scenario (cycled, one craft at a time each). */
  craftEntities: envInt('BENCH_CRAFT_ENTITIES', 1_000, 1),
  /** Sessions of a 20-step recipe started before the advance scenarios (one crafter each). */
  advanceSessions: envInt('BENCH_ADVANCE_SESSIONS', 2_000, 1),
  /** More crafters ready for advance sessions, started between runs when the pool runs low. */
  advanceReserve: envInt('BENCH_ADVANCE_RESERVE', 3_000, 0),
  /** Simulated sessions per estimate-quality request. */
  simulations: envInt('BENCH_SIMULATIONS', 1_000, 1),
  /** Service pool size, also the raw transaction floor's pool size. */
  dbPool: envInt('BENCH_DB_POOL', 10, 1),
  servicePort: envInt('BENCH_PORT', 3900, 1),
  fastifyFloorPort: envInt('BENCH_PORT', 3900, 1) + 1,
  txFloorPort: envInt('BENCH_PORT', 3900, 1) + 2,
  clusterPort: envInt('BENCH_PORT', 3900, 1) + 3,
  /** The stub server and the service calling it over HTTP (craft-http). */
  stubsPort: envInt('BENCH_PORT', 3900, 1) + 4,
  httpServicePort: envInt('BENCH_PORT', 3900, 1) + 5,
  clusterWorkers: envInt('BENCH_CLUSTER_WORKERS', 2, 1),
  cluster: envBool('BENCH_CLUSTER', true),
  /**
   * Scenarios to run once more, each on its own service started with --cpu-prof, and whose
   * profile is summarised: BENCH_PROFILE=1 means `advance`; or a comma-separated list.
   */
  profile: profileList(process.env.BENCH_PROFILE),
  /** Token of the measured requests: `scoped` (a game server: roles [service], its game service) or `all` ('*'). */
  tokenScope: (process.env.BENCH_TOKEN_SCOPE ?? 'scoped') === 'all' ? ('all' as const) : ('scoped' as const),
  /** A run where more than this share of the CPU went to other processes is measured again... */
  noisyPct: envInt('BENCH_NOISY_PCT', 10, 0),
  /** ...at most this many times (the quietest attempt is kept). */
  noisyRetries: envInt('BENCH_NOISY_RETRIES', 2, 0),
  /** Comma-separated scenario names to run (default: all), for development. */
  only: scenarioFilter,
  databaseUrl: benchDatabaseUrl(),
  redisUrl: process.env.REDIS_URL || 'redis://127.0.0.1:6379',
  natsUrl: process.env.NATS_URL || 'nats://127.0.0.1:4222',
  jwtSecret: 'bench-secret-not-for-production-0123456789',
  redisPrefix: 'craft-bench:',
  natsStream: 'CRAFT_BENCH',
  eventPrefix: 'craftbench',
  contractStream: 'CONTRACT_BENCH',
  contractPrefix: 'contractbench',
};

export type BenchConfig = typeof config;

export function wanted(name: string): boolean {
  return config.only.length === 0 || config.only.includes(name);
}
