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

const HOW_TO = `Integration tests need MariaDB, Redis and NATS (JetStream). Either:
  - export DATABASE_URL, REDIS_URL and NATS_URL (bash scripts/ensure-services.sh starts local ones), or
  - run a Docker engine so testcontainers can start them.`;

/**
 * Uses the services named in the environment; otherwise starts containers with
 * testcontainers; otherwise stops with instructions.
 */
export default async function setup(project: TestProject) {
  const { DATABASE_URL, REDIS_URL, NATS_URL } = process.env;
  if (DATABASE_URL && REDIS_URL && NATS_URL) {
    project.provide('services', { databaseUrl: DATABASE_URL, redisUrl: REDIS_URL, natsUrl: NATS_URL });
    return;
  }
  let stop: (() => Promise<unknown>)[] = [];
  try {
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
    stop = [() => db.stop(), () => redis.stop(), () => nats.stop()];
    project.provide('services', {
      databaseUrl: `mysql://root:root@${db.getHost()}:${db.getPort()}/craft`,
      redisUrl: redis.getConnectionUrl(),
      natsUrl: natsUrlOf(nats.getConnectionOptions()),
    });
  } catch (err) {
    throw new Error(`${HOW_TO}\n(testcontainers: ${(err as Error).message})`);
  }
  return async () => {
    await Promise.all(stop.map((s) => s()));
  };
}

function natsUrlOf(o: { servers?: string | string[]; user?: string; pass?: string }): string {
  const server = (Array.isArray(o.servers) ? o.servers[0]! : (o.servers ?? '')).replace(/^nats:\/\//, '');
  return o.user ? `nats://${o.user}:${o.pass ?? ''}@${server}` : `nats://${server}`;
}
