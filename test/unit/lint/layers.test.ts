import { fileURLToPath } from 'node:url';
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

/**
 * The layer rules of eslint.config.js, checked on fixtures linted as if they lived in the
 * layer: an import of an outer layer fails lint at any depth, an allowed one passes.
 */
const root = fileURLToPath(new URL('../../../', import.meta.url));
const eslint = new ESLint({ cwd: root });

async function importErrors(filePath: string, source: string): Promise<string[]> {
  const code = `${source}\nexport const used = [x];\n`;
  const [result] = await eslint.lintText(code, { filePath: `${root}${filePath}` });
  return result!.messages.filter((m) => m.ruleId === 'no-restricted-imports').map((m) => m.message);
}

describe('layer rules (eslint.config.js)', () => {
  it('theDomain_mayNotImportInfraHttpServicesOrClients_atAnyDepth', async () => {
    const bad = [
      ['src/domain/x.ts', "import { x } from '../infra/db/prisma.js';"],
      ['src/domain/rules/x.ts', "import { x } from '../../infra/db/prisma.js';"],
      ['src/domain/rules/deep/x.ts', "import { x } from '../../../http/app.js';"],
      ['src/domain/rules/x.ts', "import { x } from '../../services/scope.js';"],
      ['src/domain/rules/x.ts', "import { x } from '../../clients/item-client.js';"],
      ['src/domain/rules/x.ts', "import { x } from '../../generated/prisma/client.js';"],
      ['src/domain/rules/x.ts', "import { x } from 'fastify';"],
      ['src/domain/rules/x.ts', "import { x } from '@prisma/client';"],
    ];
    for (const [file, source] of bad) expect(await importErrors(file!, source!), `${file}: ${source}`).toHaveLength(1);
    expect(await importErrors('src/domain/rules/x.ts', "import { x } from '../rng.js';")).toEqual([]);
    expect(await importErrors('src/domain/rules/x.ts', "import { x } from './expr.js';")).toEqual([]);
  });

  it('services_mayNotImportInfraOrHttp_atAnyDepth_butMayUseTheDomainAndClientPorts', async () => {
    const bad = [
      ['src/services/x.ts', "import { x } from '../infra/db/prisma.js';"],
      ['src/services/sessions/x.ts', "import { x } from '../../infra/repositories/prisma-session-repository.js';"],
      ['src/services/sessions/deep/x.ts', "import { x } from '../../../http/routes/session/start-session.js';"],
      ['src/services/sessions/x.ts', "import { x } from 'ioredis';"],
    ];
    for (const [file, source] of bad) expect(await importErrors(file!, source!), `${file}: ${source}`).toHaveLength(1);
    expect(await importErrors('src/services/sessions/x.ts', "import { x } from '../../domain/rules/engine.js';")).toEqual([]);
    expect(await importErrors('src/services/sessions/x.ts', "import { x } from '../../clients/item-client.js';")).toEqual([]);
  });
});
