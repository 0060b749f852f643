import { z } from 'zod';
import type { FaultPhase } from '../clients/stubs/index.js';

/** The stub server's settings, parsed once at boot from its environment (never read elsewhere). */

const int = (min: number, max: number) => z.coerce.number({ error: 'must be a number' }).pipe(z.number().int('must be an integer').min(min).max(max));

const httpUrl = z.string().refine((v) => {
  try {
    return ['http:', 'https:'].includes(new URL(v).protocol);
  } catch {
    return false;
  }
}, 'must be an http(s) URL');

const token = (what: string) => z.string().regex(/^[A-Za-z0-9_-]+$/, `must be a ${what} (letters, digits, _ or -)`);

export interface FaultRule {
  op: string;
  every: number;
  phase: FaultPhase;
}

/** `op:every[:before|after]`, comma-separated (the syntax of lib-craft's CRAFT_STUB_FAULTS). */
const faultRules = z.string().transform((text, ctx): FaultRule[] => {
  const rules: FaultRule[] = [];
  for (const part of text.split(',').map((p) => p.trim()).filter((p) => p !== '')) {
    const m = /^([a-z]+\.[A-Za-z]+):([1-9]\d*)(?::(before|after))?$/.exec(part);
    if (!m) {
      ctx.addIssue({ code: 'custom', message: `"${part}" is not <service>.<method>:<every>[:before|after]` });
      return z.NEVER;
    }
    rules.push({ op: m[1]!, every: Number(m[2]), phase: (m[3] ?? 'before') as FaultPhase });
  }
  return rules;
});

const envSchema = z.object({
  DATABASE_URL: z.string().regex(/^(mysql|mariadb):\/\//, 'must be a mysql:// or mariadb:// URL').default('mysql://root@127.0.0.1:3306/craft'),
  DATABASE_CONNECTION_LIMIT: int(1, 200).default(20),
  NATS_URL: z.string().min(1).default('nats://127.0.0.1:4222'),
  // Loopback unless told otherwise (compose sets 0.0.0.0): the stub server makes items and coins from nothing.
  HOST: z.string().min(1).default('127.0.0.1'),
  PORT: int(0, 65535).default(3100),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  STUBS_AUTH_JWT_SECRET: z.string().min(1).optional(),
  STUBS_AUTH_DISABLED: z.enum(['true', 'false']).default('false'),
  STUBS_CRAFT_URL: z
    .string()
    .transform((v) => v.split(',').map((u) => u.trim().replace(/\/+$/, '')).filter((u) => u !== ''))
    .pipe(z.array(httpUrl).min(1, 'needs at least one URL'))
    .optional(),
  STUBS_CRAFT_TOKEN: z.string().min(1).optional(),
  STUBS_CRAFT_JWT_SECRET: z.string().min(1).optional(),
  STUBS_CRAFT_TIMEOUT_MS: int(100, 600_000).default(30_000),
  STUBS_FAULTS: faultRules.default([]),
  STUBS_CONTRACT_STREAM: token('JetStream stream name').default('CONTRACT'),
  STUBS_CONTRACT_SUBJECT_PREFIX: token('single NATS subject token').default('contract'),
});

export class StubConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid stub server configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'StubConfigError';
  }
}

export function loadStubConfig(env: Record<string, string | undefined> = process.env) {
  // Empty strings mean "unset", as in most .env tooling.
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = envSchema.safeParse(cleaned);
  if (!parsed.success) throw new StubConfigError(parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`));
  const e = parsed.data;
  if (!e.STUBS_AUTH_JWT_SECRET && e.STUBS_AUTH_DISABLED !== 'true') {
    throw new StubConfigError(['STUBS_AUTH_JWT_SECRET: every caller needs a token signed with it (STUBS_AUTH_DISABLED=true serves anyone, for a throwaway setup only)']);
  }
  if (e.STUBS_CRAFT_TOKEN && e.STUBS_CRAFT_JWT_SECRET) {
    throw new StubConfigError(['STUBS_CRAFT_TOKEN and STUBS_CRAFT_JWT_SECRET: set one of them, not both']);
  }
  return {
    databaseUrl: e.DATABASE_URL,
    databaseConnectionLimit: e.DATABASE_CONNECTION_LIMIT,
    natsUrl: e.NATS_URL,
    host: e.HOST,
    port: e.PORT,
    logLevel: e.LOG_LEVEL,
    /** When set, every route but the probes needs a Bearer HS256 JWT signed with it. */
    authJwtSecret: e.STUBS_AUTH_JWT_SECRET ?? null,
    /** Where a fulfilled contract's prebound call goes (lib-craft instances, tried in turn). */
    craft: {
      baseUrls: e.STUBS_CRAFT_URL ?? [],
      token: e.STUBS_CRAFT_TOKEN ?? null,
      jwtSecret: e.STUBS_CRAFT_JWT_SECRET ?? null,
      timeoutMs: e.STUBS_CRAFT_TIMEOUT_MS,
    },
    faults: e.STUBS_FAULTS,
    contractStream: e.STUBS_CONTRACT_STREAM,
    contractSubjectPrefix: e.STUBS_CONTRACT_SUBJECT_PREFIX,
  };
}

export type StubConfig = ReturnType<typeof loadStubConfig>;
