// `npm run db:migrate`: applies pending migrations to DATABASE_URL.
import { migrate } from './migrate.js';

const DEFAULT_URL = 'mysql://root@127.0.0.1:3306/craft';

// Never echo a password into logs or CI output.
function redact(databaseUrl: string): string {
  try {
    const url = new URL(databaseUrl);
    if (url.password) url.password = '***';
    return url.toString();
  } catch {
    return '<unparseable DATABASE_URL>';
  }
}

async function main(): Promise<void> {
  const databaseUrl = process.env.DATABASE_URL || DEFAULT_URL;
  console.log(`migrating ${redact(databaseUrl)}`);
  const { applied } = await migrate(databaseUrl, { logger: { info: (msg) => console.log(msg) } });
  if (applied.length === 0) {
    console.log('database is up to date');
  } else {
    console.log(`applied ${applied.length} migration(s): ${applied.join(', ')}`);
  }
}

main().catch((err: unknown) => {
  const message = err instanceof Error ? err.message : String(err);
  console.error(`migration failed: ${message}`);
  process.exitCode = 1;
});
