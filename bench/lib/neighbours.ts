// The craft-http scenario's processes: the stub server (the neighbours, over HTTP) and a
// service that calls it instead of its in-process stubs.
import { config } from './config.js';
import { serviceEnv, startProcess, waitReady, type Proc } from './processes.js';
import { sleep } from './util.js';

/** The stub server (`node dist/stub-server/main.js`) on the bench's database and NATS. */
export async function startStubServer(name: string, port: number, craftUrl: string): Promise<Proc> {
  const proc = startProcess(name, ['dist/stub-server/main.js'], {
    ...process.env,
    NODE_ENV: 'production',
    DATABASE_URL: config.databaseUrl,
    NATS_URL: config.natsUrl,
    HOST: '127.0.0.1',
    PORT: String(port),
    LOG_LEVEL: 'warn',
    STUBS_AUTH_JWT_SECRET: config.jwtSecret,
    STUBS_CRAFT_URL: craftUrl,
    STUBS_CRAFT_JWT_SECRET: config.jwtSecret,
    STUBS_CONTRACT_STREAM: config.contractStream,
    STUBS_CONTRACT_SUBJECT_PREFIX: config.contractPrefix,
  });
  await waitReady(proc, `http://127.0.0.1:${port}/readyz`);
  return proc;
}

/** A service process whose neighbours are all at `stubsUrl` (HTTP clients, signed service tokens). */
export async function startServiceWithNeighbours(name: string, port: number, stubsUrl: string): Promise<Proc> {
  const proc = startProcess(name, ['dist/server.js'], {
    ...serviceEnv(port),
    CRAFT_NEIGHBOURS_URL: stubsUrl,
    CRAFT_NEIGHBOUR_JWT_SECRET: config.jwtSecret,
  });
  await waitReady(proc, `http://127.0.0.1:${port}/readyz`);
  await sleep(300);
  return proc;
}
