import { defineConfig } from 'prisma/config';

// `env()` from prisma/config throws when the variable is unset, which would break
// `prisma generate` and `validate` (they need no database). Read the variable directly.
const url = process.env.DATABASE_URL;

export default defineConfig({
  schema: 'prisma/schema.prisma',
  migrations: {
    // Applied by src/infra/db/migrate.ts (npm run db:migrate): the CLI's schema engine
    // cannot be downloaded on our machines. The folder format is Prisma's, so
    // `prisma migrate deploy` accepts the same history where the engine exists.
    path: 'prisma/migrations',
  },
  ...(url ? { datasource: { url } } : {}),
});
