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
  const logger = createLogger(config.logLevel);
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
    owners: runtime.owners,
    logger,
  });
  app.addHook('onClose', async () => {
    // A handler whose client hung up still runs: let it finish before the pools close.
    if (!(await app.handlersInFlight.drain(10_000))) logger.warn({ running: app.handlersInFlight.running }, 'closing with handlers still running');
    await runtime.close();
  });

  closeWithGrace({ delay: 10_000, logger }, async ({ signal, err }) => {
    if (err) logger.error({ err }, 'shutting down after an error');
    else logger.info({ signal }, 'shutting down');
    await app.close();
  });

  runtime.start();
  await app.listen({ host: config.host, port: config.port });
  if (config.standalone) logger.info('standalone mode: stub services and /dev endpoints are enabled');
}

await main();
