import { z } from 'zod';

/**
 * Where lib-craft finds the services it calls. Per service `CRAFT_<SERVICE>_URL`, or
 * `CRAFT_NEIGHBOURS_URL` for every service without one of its own (one gateway, or the stub
 * server). A service without an address is the in-process stub in standalone mode; outside
 * it, a hard dependency without an address stops the start, a soft one is left out (the
 * service degrades as the README's configuration table says).
 */
export const NEIGHBOUR_ENV = {
  gameService: 'CRAFT_GAME_SERVICE_URL',
  item: 'CRAFT_ITEM_URL',
  inventory: 'CRAFT_INVENTORY_URL',
  contract: 'CRAFT_CONTRACT_URL',
  currency: 'CRAFT_CURRENCY_URL',
  affix: 'CRAFT_AFFIX_URL',
  seed: 'CRAFT_SEED_URL',
  location: 'CRAFT_LOCATION_URL',
  analytics: 'CRAFT_ANALYTICS_URL',
} as const;

export type NeighbourName = keyof typeof NEIGHBOUR_ENV;
export const HARD_NEIGHBOURS: readonly NeighbourName[] = ['gameService', 'item', 'inventory', 'contract', 'currency'];

const httpUrl = z.string().refine((v) => {
  try {
    return ['http:', 'https:'].includes(new URL(v).protocol);
  } catch {
    return false;
  }
}, 'must be a URL with scheme http:// or https://');

const int = (min: number, max: number) =>
  z.coerce.number({ error: 'must be a number' }).pipe(z.number().int('must be an integer').min(min, `must be >= ${min}`).max(max, `must be <= ${max}`));

export const neighbourEnvShape = {
  CRAFT_NEIGHBOURS_URL: httpUrl.optional(),
  ...(Object.fromEntries(Object.values(NEIGHBOUR_ENV).map((name) => [name, httpUrl.optional()])) as Record<(typeof NEIGHBOUR_ENV)[NeighbourName], z.ZodOptional<typeof httpUrl>>),
  CRAFT_NEIGHBOUR_TOKEN: z.string().min(1).optional(),
  CRAFT_NEIGHBOUR_JWT_SECRET: z.string().min(16, 'must be at least 16 characters').optional(),
  CRAFT_NEIGHBOUR_TIMEOUT_MS: int(50, 120_000).default(2000),
  CRAFT_NEIGHBOUR_RETRIES: int(0, 10).default(2),
  CRAFT_NEIGHBOUR_CONNECTIONS: int(1, 1000).default(32),
  CRAFT_NEIGHBOUR_QUEUE: int(0, 100_000).default(256),
  CRAFT_NEIGHBOUR_BREAKER_FAILURES: int(1, 1000).default(5),
  CRAFT_NEIGHBOUR_BREAKER_HALF_OPEN_MS: int(100, 600_000).default(5000),
};

type NeighbourEnv = z.output<z.ZodObject<typeof neighbourEnvShape>>;

/** The neighbours' part of the Config; `problems` lists what stops the start. */
export function neighbourSettings(e: NeighbourEnv, standalone: boolean) {
  const urls: Partial<Record<NeighbourName, string>> = {};
  for (const [service, name] of Object.entries(NEIGHBOUR_ENV) as [NeighbourName, (typeof NEIGHBOUR_ENV)[NeighbourName]][]) {
    const url = e[name] ?? e.CRAFT_NEIGHBOURS_URL;
    if (url) urls[service] = url;
  }
  const problems = standalone
    ? []
    : HARD_NEIGHBOURS.filter((s) => !urls[s]).map(
        (s) => `${NEIGHBOUR_ENV[s]}: the ${s} service is a hard dependency; give its address (or CRAFT_NEIGHBOURS_URL), or run with CRAFT_STANDALONE=true to use the in-process stubs`,
      );
  if (e.CRAFT_NEIGHBOUR_TOKEN && e.CRAFT_NEIGHBOUR_JWT_SECRET) {
    problems.push('CRAFT_NEIGHBOUR_TOKEN and CRAFT_NEIGHBOUR_JWT_SECRET: set one of them, not both');
  }
  return {
    problems,
    settings: {
      urls,
      token: { ...(e.CRAFT_NEIGHBOUR_TOKEN && { token: e.CRAFT_NEIGHBOUR_TOKEN }), ...(e.CRAFT_NEIGHBOUR_JWT_SECRET && { jwtSecret: e.CRAFT_NEIGHBOUR_JWT_SECRET }) },
      calls: {
        timeoutMs: e.CRAFT_NEIGHBOUR_TIMEOUT_MS,
        retries: e.CRAFT_NEIGHBOUR_RETRIES,
        connections: e.CRAFT_NEIGHBOUR_CONNECTIONS,
        queue: e.CRAFT_NEIGHBOUR_QUEUE,
        breakerFailures: e.CRAFT_NEIGHBOUR_BREAKER_FAILURES,
        breakerHalfOpenMs: e.CRAFT_NEIGHBOUR_BREAKER_HALF_OPEN_MS,
      },
    },
  };
}

export type NeighbourSettings = ReturnType<typeof neighbourSettings>['settings'];
