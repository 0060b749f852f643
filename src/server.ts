import { fileURLToPath } from 'node:url';
import closeWithGrace from 'close-with-grace';
import { buildApp } from './app.js';
import { createRuntime } from './compose.js';
import { ConfigError, loadConfig, type Config } from './infra/config/config.js';
import { loadSpec } from './http/openapi/load-spec.js';
import { createLogger } from './infra/logger.js';

export const SPEC_PATH = fileURLToPath(new URL('../schemas/craft-api.yaml', import.meta.url));

async function main() {
  let config: Config;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`lib-craft: ${err.message}\n`);
      process.exit(1);
    }
    throw err;
  }
  const logger = createLogger(config.logLevel, undefined, { pretty: config.logPretty });
  const runtime = createRuntime(config, logger);
  const app = await buildApp({
    spec: loadSpec(SPEC_PATH),
    services: runtime.services,
    readiness: runtime.readiness,
    idempotency: runtime.idempotency,
    readinessInfo: runtime.readinessInfo,
    metrics: runtime.metrics,
    rateLimit: runtime.rateLimit,
    standalone: config.standalone,
    auth: config.auth,
    logger,
  });
  app.addHook('onClose', async () => {
    // A handler whose client hung up still runs: let it finish before the pools close.
    if (!(await app.handlersInFlight.drain(10_000))) logger.warn({ running: app.handlersInFlight.running }, 'closing with handlers still running');
    await runtime.close();
  });

  const grace = closeWithGrace({ delay: 10_000, logger, skip: ['SIGINT'] }, async ({ signal, err }) => {
    if (err) logger.error({ err }, 'shutting down after an error');
    else logger.info({ signal: signal ?? 'SIGINT' }, 'shutting down');
    await app.close();
  });
  // Ctrl-C reaches a process twice when a watcher (npm run dev's tsx) forwards the terminal's
  // SIGINT: a repeat within a second is the same keypress and must not cut the graceful stop
  // short; a later one is the operator insisting.
  let interrupted = 0;
  process.on('SIGINT', () => {
    const now = Date.now();
    if (interrupted === 0) {
      interrupted = now;
      void grace.close();
    } else if (now - interrupted > 1000) {
      logger.error('second SIGINT, exiting');
      process.exit(1);
    }
  });

  runtime.start();
  await app.listen({ host: config.host, port: config.port });
  if (config.standalone) logger.info('standalone mode: stub services and /dev endpoints are enabled');
}

await main();
