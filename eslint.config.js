import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/', 'node_modules/', 'src/generated/', 'coverage/', 'bench/results/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { process: 'readonly', console: 'readonly', setTimeout: 'readonly', clearTimeout: 'readonly', URL: 'readonly', fetch: 'readonly', NodeJS: 'readonly' } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-console': 'error',
    },
  },
  {
    // The domain is pure: no framework, database, cache or bus.
    files: ['src/domain/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['fastify*', '@fastify/*', '@prisma/*', 'ioredis', '@nats-io/*', 'prom-client', 'mariadb', 'pino'], message: 'the domain is pure' },
            // Any depth: ../infra/x, ../../infra/db/x, ...
            { regex: String.raw`(^|/)(infra|http|services|clients|generated/prisma)(/|$)`, message: 'the domain does not depend on outer layers' },
          ],
        },
      ],
    },
  },
  {
    // Services orchestrate through ports; they never touch HTTP or concrete adapters.
    files: ['src/services/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['fastify*', '@fastify/*', '@prisma/*', 'ioredis', '@nats-io/*', 'prom-client', 'mariadb'], message: 'services reach infrastructure through ports' },
            { regex: String.raw`(^|/)(infra|http|generated/prisma)(/|$)`, message: 'services do not import HTTP or concrete adapters' },
          ],
        },
      ],
    },
  },
  {
    // Command-line entry points talk to a terminal.
    files: ['src/**/*-cli.ts', 'scripts/**/*.ts'],
    rules: { 'no-console': 'off' },
  },
  {
    files: ['test/**/*.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
);
