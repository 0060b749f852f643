// `npm run stubs` (or `node dist/stub-server/main.js`): the stub services as their own
// process, serving the WIRE contract over HTTP.
import closeWithGrace from 'close-with-grace';
import { createLogger } from '../infra/logger.js';
import { loadStubConfig, StubConfigError, type StubConfig } from './config.js';
import { createStubRuntime } from './runtime.js';

async function main() {
  let config: StubConfig;
  try {
    config = loadStubConfig();
  } catch (err) {
    if (err instanceof StubConfigError) {
      process.stderr.write(`lib-craft stub server: ${err.message}\n`);
      process.exit(1);
    }
    throw err;
  }
  const logger = createLogger(config.logLevel).child({ process: 'stub-server' });
  const runtime = createStubRuntime(config, logger);
  runtime.app.addHook('onClose', () => runtime.close());

  closeWithGrace({ delay: 10_000, logger }, async ({ signal, err }) => {
    if (err) logger.error({ err }, 'shutting down after an error');
    else logger.info({ signal }, 'shutting down');
    await runtime.app.close();
  });

  await runtime.app.listen({ host: config.host, port: config.port });
}

await main();
