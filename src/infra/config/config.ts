import { availableParallelism } from 'node:os';
import { z } from 'zod';
import type { AuthSettings } from '../../http/auth.js';
import { neighbourEnvShape, neighbourSettings } from './neighbours-config.js';

/**
 * Every setting of the service, parsed once at boot and injected. Nothing reads
 * process.env after this module has produced a Config.
 */

const bool = z
  .enum(['true', 'false', '1', '0'])
  .transform((v) => v === 'true' || v === '1');

const range = (min: number, max: number) => ({
  min: `must be >= ${min} (allowed ${min}..${max})`,
  max: `must be <= ${max} (allowed ${min}..${max})`,
});
const num = (min: number, max: number) =>
  z.coerce
    .number({ error: 'must be a number' })
    .pipe(z.number().min(min, range(min, max).min).max(max, range(min, max).max));
const int = (min: number, max: number) =>
  num(min, max).pipe(z.number().int('must be an integer'));

const phaseThresholds = z
  .string()
  .transform((raw, ctx) => {
    const phases: { name: string; threshold: number }[] = [];
    for (const part of raw.split(',')) {
      const [name, value] = part.split(':').map((s) => s.trim());
      const threshold = Number(value);
      if (!name || value === undefined || value === '' || !Number.isFinite(threshold) || threshold < 0) {
        ctx.addIssue({ code: 'custom', message: `"${part}" is not name:experience with experience >= 0` });
        return z.NEVER;
      }
      phases.push({ name, threshold });
    }
    for (let i = 1; i < phases.length; i++) {
      if (phases[i]!.threshold <= phases[i - 1]!.threshold) {
        ctx.addIssue({ code: 'custom', message: 'thresholds must be strictly increasing' });
        return z.NEVER;
      }
    }
    if (phases[0]?.threshold !== 0) {
      ctx.addIssue({ code: 'custom', message: 'the first phase must start at 0' });
      return z.NEVER;
    }
    return phases;
  });

const url = (protocols: string[]) =>
  z.string().refine((v) => {
    try {
      return protocols.includes(new URL(v).protocol);
    } catch {
      return false;
    }
  }, `must be a URL with scheme ${protocols.map((p) => p.replace(':', '://')).join(' or ')}`);

/** Environment variable name -> schema with its default. */
/**
 * `op:every[:phase]` rules, comma-separated: `inventory.transfer:7,item.createInstance:5:after`
 * makes every 7th transfer fail before it happens and every 5th creation fail after it committed.
 */
const stubFaults = z
  .string()
  .transform((text, ctx) => {
    const rules: { op: string; every: number; phase: 'before' | 'after' }[] = [];
    for (const part of text.split(',').map((p) => p.trim()).filter(Boolean)) {
      const m = /^([a-z]+\.[A-Za-z]+):(\d+)(?::(before|after))?$/.exec(part);
      if (!m || Number(m[2]) < 1) {
        ctx.addIssue({ code: 'custom', message: `"${part}" is not <service>.<method>:<every>[:before|after]` });
        return z.NEVER;
      }
      rules.push({ op: m[1]!, every: Number(m[2]), phase: (m[3] ?? 'before') as 'before' | 'after' });
    }
    return rules;
  });

/** The secret `npm run dev`, docker compose and `npm run dev:token` share: public, so development only. */
export const DEV_JWT_SECRET = 'dev-secret-change-me';

const envSchema = z.object({
  NODE_ENV: z.string().optional(),
  DATABASE_URL: url(['mysql:', 'mariadb:']).default('mysql://root@127.0.0.1:3306/craft'),
  REDIS_URL: url(['redis:', 'rediss:']).default('redis://127.0.0.1:6379'),
  NATS_URL: z.string().min(1).default('nats://127.0.0.1:4222'),
  HOST: z.string().min(1).default('0.0.0.0'),
  PORT: int(0, 65535).default(3000),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** Readable log lines (pino-pretty, a development dependency); npm run dev sets it in a terminal. */
  LOG_PRETTY: bool.default(false),
  DATABASE_CONNECTION_LIMIT: int(1, 200).default(10),
  DATABASE_ACQUIRE_TIMEOUT_MS: int(100, 120_000).default(10_000),

  // Off unless set: a production deployment that forgets it serves no /dev/ endpoints
  // (items and coins from nothing). npm run dev, docker compose and the tests set it.
  CRAFT_STANDALONE: bool.default(false),
  CRAFT_RECIPE_CACHE_TTL_SECONDS: int(60, 86400).default(3600),
  CRAFT_MAX_ACTIVE_SESSIONS_PER_ENTITY: int(1, 10).default(1),
  CRAFT_SESSION_TIMEOUT_SECONDS: int(10, 604800).default(3600),
  CRAFT_DEFAULT_QUALITY_MATERIAL_WEIGHT: num(0, 1).default(0.3),
  CRAFT_DEFAULT_QUALITY_PROFICIENCY_WEIGHT: num(0, 1).default(0.5),
  CRAFT_DEFAULT_QUALITY_TOOL_WEIGHT: num(0, 1).default(0.2),
  CRAFT_DISCOVERY_MATERIAL_CONSUMPTION_RATE: num(0, 1).default(0.5),
  CRAFT_MAX_RECIPES_PER_GAME_SERVICE: int(1, 1_000_000).default(10000),
  CRAFT_LOCK_TIMEOUT_SECONDS: int(1, 300).default(30),
  CRAFT_STATION_EXCLUSIVITY: bool.default(false),
  CRAFT_PAUSE_RELEASES_STATION: bool.default(false),
  CRAFT_MAX_PAUSED_SECONDS: int(60, 31_536_000).default(604800),
  CRAFT_ESTIMATE_THREADS: int(0, 64).optional(),
  CRAFT_PROFICIENCY_SOURCE: z.enum(['seed', 'local']).default('seed'),
  CRAFT_MAX_PROFICIENCY_LEVEL: int(1, 1000).default(100),
  CRAFT_EXPERIENCE_SCALING_FACTOR: num(0, 100).default(1.0),
  CRAFT_APPRENTICE_BONUS_MULTIPLIER: num(0, 10).default(0.5),
  CRAFT_COLLABORATION_BONUS_MULTIPLIER: num(0, 1).default(0.05),
  CRAFT_LEVEL_EXPERIENCE_BASE: num(1, 1_000_000).default(10),
  CRAFT_PHASE_THRESHOLDS: phaseThresholds.prefault(
    'novice:0,apprentice:100,journeyman:500,expert:1500,master:4000',
  ),
  CRAFT_EVENT_SUBJECT_PREFIX: z
    .string()
    .regex(/^[A-Za-z0-9_-]+$/, 'must be a single NATS subject token (letters, digits, _ or -)')
    .default('craft'),
  CRAFT_NATS_STREAM: z
    .string()
    .regex(/^[A-Za-z0-9_-]+$/, 'must be a valid JetStream stream name')
    .default('CRAFT'),
  CRAFT_REDIS_KEY_PREFIX: z.string().max(100).default('craft:'),
  CRAFT_OUTBOX_POLL_INTERVAL_MS: int(10, 60000).default(250),
  CRAFT_AFFIX_SERVICE: z.enum(['stub', 'none']).default('stub'),
  CRAFT_RECOVERY_INTERVAL_MS: int(50, 600000).default(2000),
  CRAFT_RECOVERY_STALE_SECONDS: int(1, 3600).default(30),
  CRAFT_IDEMPOTENCY_RETENTION_HOURS: int(1, 720).default(24),
  CRAFT_RATE_LIMIT_PER_MINUTE: int(0, 1_000_000).default(6000),
  CRAFT_CONTRACT_STREAM: z
    .string()
    .regex(/^[A-Za-z0-9_-]+$/, 'must be a valid JetStream stream name')
    .default('CONTRACT'),
  CRAFT_AUTH_DISABLED: bool.default(false),
  CRAFT_AUTH_JWT_SECRET: z.string().min(16, 'must be at least 16 characters').optional(),
  CRAFT_AUTH_JWKS_URL: url(['https:', 'http:']).optional(),
  CRAFT_AUTH_ISSUER: z.string().optional(),
  CRAFT_AUTH_AUDIENCE: z.string().optional(),
  CRAFT_CONTRACT_SUBJECT_PREFIX: z
    .string()
    .regex(/^[A-Za-z0-9_-]+$/, 'must be a single NATS subject token (letters, digits, _ or -)')
    .default('contract'),
  CRAFT_STUB_FAULTS: stubFaults.default([]),
  ...neighbourEnvShape,
});

const WEIGHT_SUM_TOLERANCE = 1e-6;

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

export function loadConfig(env: Record<string, string | undefined> = process.env) {
  // Empty strings mean "unset", as in most .env tooling.
  const cleaned = Object.fromEntries(
    Object.entries(env).filter(([, v]) => v !== undefined && v !== ''),
  );
  const parsed = envSchema.safeParse(cleaned);
  if (!parsed.success) {
    throw new ConfigError(
      parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`),
    );
  }
  const e = parsed.data;
  const weightSum =
    e.CRAFT_DEFAULT_QUALITY_MATERIAL_WEIGHT +
    e.CRAFT_DEFAULT_QUALITY_PROFICIENCY_WEIGHT +
    e.CRAFT_DEFAULT_QUALITY_TOOL_WEIGHT;
  if (Math.abs(weightSum - 1) > WEIGHT_SUM_TOLERANCE) {
    throw new ConfigError([
      `CRAFT_DEFAULT_QUALITY_MATERIAL_WEIGHT + CRAFT_DEFAULT_QUALITY_PROFICIENCY_WEIGHT + CRAFT_DEFAULT_QUALITY_TOOL_WEIGHT: must sum to 1.0 (got ${weightSum})`,
    ]);
  }
  if (!e.CRAFT_AUTH_DISABLED && !e.CRAFT_AUTH_JWT_SECRET && !e.CRAFT_AUTH_JWKS_URL) {
    throw new ConfigError([
      'CRAFT_AUTH_JWT_SECRET or CRAFT_AUTH_JWKS_URL: authentication is on by default and needs one of them (CRAFT_AUTH_DISABLED=true turns it off, for development only)',
    ]);
  }
  if (e.CRAFT_AUTH_JWT_SECRET === DEV_JWT_SECRET && !e.CRAFT_STANDALONE && e.NODE_ENV !== 'development') {
    throw new ConfigError([
      `CRAFT_AUTH_JWT_SECRET: the development secret "${DEV_JWT_SECRET}" is public; set a secret of your own (it is accepted only with CRAFT_STANDALONE=true or NODE_ENV=development)`,
    ]);
  }
  const neighbours = neighbourSettings(e, e.CRAFT_STANDALONE);
  if (neighbours.problems.length > 0) throw new ConfigError(neighbours.problems);
  const auth: AuthSettings = e.CRAFT_AUTH_DISABLED
    ? { disabled: true }
    : {
        disabled: false,
        ...(e.CRAFT_AUTH_JWT_SECRET && { jwtSecret: e.CRAFT_AUTH_JWT_SECRET }),
        ...(e.CRAFT_AUTH_JWKS_URL && { jwksUrl: e.CRAFT_AUTH_JWKS_URL }),
        ...(e.CRAFT_AUTH_ISSUER && { issuer: e.CRAFT_AUTH_ISSUER }),
        ...(e.CRAFT_AUTH_AUDIENCE && { audience: e.CRAFT_AUTH_AUDIENCE }),
      };
  return {
    /** Bearer-token authentication; a secret (HS256) wins over a JWKS URL when both are set. */
    auth,
    databaseUrl: e.DATABASE_URL,
    databaseConnectionLimit: e.DATABASE_CONNECTION_LIMIT,
    /** How long a request waits for a pool connection before it answers 503 (MySQL down or pool exhausted). */
    databaseAcquireTimeoutMs: e.DATABASE_ACQUIRE_TIMEOUT_MS,
    redisUrl: e.REDIS_URL,
    natsUrl: e.NATS_URL,
    host: e.HOST,
    port: e.PORT,
    logLevel: e.LOG_LEVEL,
    logPretty: e.LOG_PRETTY,
    standalone: e.CRAFT_STANDALONE,
    recipeCacheTtlSeconds: e.CRAFT_RECIPE_CACHE_TTL_SECONDS,
    maxActiveSessionsPerEntity: e.CRAFT_MAX_ACTIVE_SESSIONS_PER_ENTITY,
    sessionTimeoutSeconds: e.CRAFT_SESSION_TIMEOUT_SECONDS,
    defaultQualityWeights: {
      materialQuality: e.CRAFT_DEFAULT_QUALITY_MATERIAL_WEIGHT,
      proficiencyLevel: e.CRAFT_DEFAULT_QUALITY_PROFICIENCY_WEIGHT,
      toolQuality: e.CRAFT_DEFAULT_QUALITY_TOOL_WEIGHT,
    },
    discoveryMaterialConsumptionRate: e.CRAFT_DISCOVERY_MATERIAL_CONSUMPTION_RATE,
    maxRecipesPerGameService: e.CRAFT_MAX_RECIPES_PER_GAME_SERVICE,
    lockTimeoutSeconds: e.CRAFT_LOCK_TIMEOUT_SECONDS,
    stationExclusivity: e.CRAFT_STATION_EXCLUSIVITY,
    pauseReleasesStation: e.CRAFT_PAUSE_RELEASES_STATION,
    maxPausedSeconds: e.CRAFT_MAX_PAUSED_SECONDS,
    /** Worker threads for ruleset estimates (0: on the request's thread); default: the cores, at most 4. */
    estimateThreads: e.CRAFT_ESTIMATE_THREADS ?? Math.min(4, availableParallelism()),
    proficiencySource: e.CRAFT_PROFICIENCY_SOURCE,
    maxProficiencyLevel: e.CRAFT_MAX_PROFICIENCY_LEVEL,
    experienceScalingFactor: e.CRAFT_EXPERIENCE_SCALING_FACTOR,
    apprenticeBonusMultiplier: e.CRAFT_APPRENTICE_BONUS_MULTIPLIER,
    collaborationBonusMultiplier: e.CRAFT_COLLABORATION_BONUS_MULTIPLIER,
    levelExperienceBase: e.CRAFT_LEVEL_EXPERIENCE_BASE,
    phaseThresholds: e.CRAFT_PHASE_THRESHOLDS,
    eventSubjectPrefix: e.CRAFT_EVENT_SUBJECT_PREFIX,
    natsStream: e.CRAFT_NATS_STREAM,
    redisKeyPrefix: e.CRAFT_REDIS_KEY_PREFIX,
    outboxPollIntervalMs: e.CRAFT_OUTBOX_POLL_INTERVAL_MS,
    /** `none`: run without an affix service (modification recipes answer AFFIX_SERVICE_UNAVAILABLE). */
    affixService: e.CRAFT_AFFIX_SERVICE,
    recoveryIntervalMs: e.CRAFT_RECOVERY_INTERVAL_MS,
    recoveryStaleSeconds: e.CRAFT_RECOVERY_STALE_SECONDS,
    /** How long a response stored under an Idempotency-Key is replayed; expired records are purged hourly. */
    idempotencyRetentionHours: e.CRAFT_IDEMPOTENCY_RETENTION_HOURS,
    contractStream: e.CRAFT_CONTRACT_STREAM,
    /** Requests per caller per minute, shared by all instances through Redis; 0 = off. */
    rateLimitPerMinute: e.CRAFT_RATE_LIMIT_PER_MINUTE,
    contractSubjectPrefix: e.CRAFT_CONTRACT_SUBJECT_PREFIX,
    /** Standalone only: failures the stub services inject, to rehearse a flaky economy. */
    stubFaults: e.CRAFT_STUB_FAULTS,
    /** The services lib-craft calls over HTTP (addresses, token, timeouts, retries, breaker, bulkhead). */
    neighbours: neighbours.settings,
  };
}

export type Config = ReturnType<typeof loadConfig>;
