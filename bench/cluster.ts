// Runs BENCH_CLUSTER_WORKERS (default 2) copies of the production build (dist/server.js)
// behind one port with node:cluster: the primary accepts connections and hands them to the
// workers round-robin; each worker is an unchanged service process (its own pools, caches
// and background jobs, as separate instances would have). SIGTERM/SIGINT stop the workers
// gracefully, then the primary exits.
import cluster from 'node:cluster';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const count = Number(process.env.BENCH_CLUSTER_WORKERS ?? 2);
const say = (line: string) => process.stdout.write(`${line}\n`);

// execArgv [] keeps the primary's TypeScript loader out of the workers.
cluster.setupPrimary({ exec: path.join(root, 'dist/server.js'), execArgv: [] });

let stopping = false;
let listening = 0;
for (let i = 0; i < count; i++) cluster.fork();

cluster.on('listening', (worker, address) => {
  listening++;
  say(`cluster: worker ${worker.process.pid} listening on ${address.address}:${address.port}`);
  if (listening === count) say(`cluster: all ${count} workers listening`);
});
cluster.on('exit', (worker, code, signal) => {
  if (!stopping) {
    say(`cluster: worker ${worker.process.pid} died (code ${code}, signal ${signal}); stopping`);
    process.exitCode = 1;
    stop();
  }
});

function stop() {
  stopping = true;
  for (const worker of Object.values(cluster.workers ?? {})) worker?.process.kill('SIGTERM');
}
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
