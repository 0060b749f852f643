#!/usr/bin/env node
// Before `npm test` (the `pretest` script): a fresh clone has no node_modules, and the test
// runner itself is one of them. Installs exactly the locked versions (npm ci) when they are
// missing; otherwise does nothing. `npm run dev` does the same in scripts/dev.sh.
import { execSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
if (!existsSync(new URL('../node_modules/.package-lock.json', import.meta.url))) {
  process.stdout.write('[tests] node_modules is missing: npm ci\n');
  execSync('npm ci --prefer-offline --no-audit --no-fund', { cwd: root, stdio: 'inherit' });
}
