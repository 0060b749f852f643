import { migrate } from '../../../src/infra/db/migrate.js';
import { Fleet } from './fleet.js';
import { PrivateServices } from './infra.js';
import { Ledger } from './ledger.js';

export interface Cluster {
  services: PrivateServices;
  fleet: Fleet;
  ledger: Ledger;
  close(): Promise<void>;
}

/** Private MariaDB, Redis and NATS, migrated, with `instances` service processes on them. */
export async function startCluster(instances: number, env: Record<string, string> = {}): Promise<Cluster> {
  const services = await PrivateServices.start();
  try {
    await migrate(services.urls.databaseUrl);
    const fleet = await Fleet.start(services, instances, { CRAFT_MAX_ACTIVE_SESSIONS_PER_ENTITY: '3', ...env });
    const ledger = new Ledger(services.urls.databaseUrl, services.urls.natsUrl);
    return {
      services,
      fleet,
      ledger,
      close: async () => {
        await ledger.close();
        await fleet.close();
        await services.close();
      },
    };
  } catch (err) {
    await services.close();
    throw err;
  }
}
