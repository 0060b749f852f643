import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { TestProject } from 'vitest/node';

export interface ServiceUrls {
  databaseUrl: string;
  redisUrl: string;
  natsUrl: string;
}

declare module 'vitest' {
  export interface ProvidedContext {
    services: ServiceUrls;
  }
}

/** Where `scripts/ensure-services.sh` makes MariaDB, Redis and NATS answer (its defaults). */
const LOCAL: ServiceUrls = {
  databaseUrl: 'mysql://root@127.0.0.1:3306/craft',
  redisUrl: 'redis://127.0.0.1:6379',
  natsUrl: 'nats://127.0.0.1:4222',
};
const ENSURE_SCRIPT = fileURLToPath(new URL('../../scripts/ensure-services.sh', import.meta.url));

/**
 * The services the integration tests talk to, so that `npm test` is the whole story:
 * 1. DATABASE_URL, REDIS_URL and NATS_URL when all three are set (CI exports them);
 * 2. else containers, when a Docker engine answers (testcontainers);
 * 3. else local ones: scripts/ensure-services.sh starts them, installing the missing ones from
 *    Debian's packages when this user can (root, or sudo without a password), as `npm run dev`
 *    does; it says what it does, and what to run when it cannot.
 */
export default async function setup(project: TestProject) {
  const { DATABASE_URL, REDIS_URL, NATS_URL } = process.env;
  if (DATABASE_URL && REDIS_URL && NATS_URL) {
    project.provide('services', { databaseUrl: DATABASE_URL, redisUrl: REDIS_URL, natsUrl: NATS_URL });
    return;
  }
  const containers = await startContainers().catch((err: Error) => {
    process.stdout.write(`[tests] no Docker engine (${err.message.split('\n')[0]}): using local MariaDB, Redis and NATS\n`);
    return null;
  });
  if (containers) {
    project.provide('services', containers.urls);
    return containers.stop;
  }
  try {
    execFileSync('bash', [ENSURE_SCRIPT], {
      stdio: ['ignore', 'inherit', 'inherit'],
      env: { ...process.env, DATABASE_URL: LOCAL.databaseUrl, REDIS_URL: LOCAL.redisUrl, NATS_URL: LOCAL.natsUrl },
    });
  } catch {
    throw new Error(
      'Integration tests need MariaDB, Redis and NATS (JetStream), and scripts/ensure-services.sh could not provide them (its messages above say why). ' +
        'Alternatively export DATABASE_URL, REDIS_URL and NATS_URL, or run a Docker engine.',
    );
  }
  project.provide('services', LOCAL);
}

async function startContainers(): Promise<{ urls: ServiceUrls; stop: () => Promise<void> }> {
  const [{ MariaDbContainer }, { RedisContainer }, { NatsContainer }] = await Promise.all([
    import('@testcontainers/mariadb'),
    import('@testcontainers/redis'),
    import('@testcontainers/nats'),
  ]);
  const [db, redis, nats] = await Promise.all([
    new MariaDbContainer('mariadb:10.11').withRootPassword('root').start(),
    new RedisContainer('redis:7-alpine').start(),
    new NatsContainer('nats:2.10-alpine').withJetStream().start(),
  ]);
  return {
    urls: {
      databaseUrl: `mysql://root:root@${db.getHost()}:${db.getPort()}/craft`,
      redisUrl: redis.getConnectionUrl(),
      natsUrl: natsUrlOf(nats.getConnectionOptions()),
    },
    stop: async () => {
      await Promise.all([db.stop(), redis.stop(), nats.stop()]);
    },
  };
}

function natsUrlOf(o: { servers?: string | string[]; user?: string; pass?: string }): string {
  const server = (Array.isArray(o.servers) ? o.servers[0]! : (o.servers ?? '')).replace(/^nats:\/\//, '');
  return o.user ? `nats://${o.user}:${o.pass ?? ''}@${server}` : `nats://${server}`;
}
