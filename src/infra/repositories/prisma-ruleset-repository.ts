import { Prisma, type PrismaClient, type Ruleset } from '../../generated/prisma/client.js';
import { CraftError } from '../../domain/errors.js';
import type { Tx } from '../../services/ports.js';
import type { RulesetDefinitionInput, RulesetInfo, RulesetListFilter } from '../../services/rulesets/ruleset-model.js';
import type { RulesetRepository } from '../../services/rulesets/ruleset-repository.js';
import { txClient } from '../db/unit-of-work.js';

function toInfo(row: Ruleset): RulesetInfo {
  return {
    rulesetId: row.id,
    gameServiceId: row.gameServiceId,
    code: row.code,
    version: row.version,
    definition: JSON.parse(row.definition) as RulesetDefinitionInput,
    isDeprecated: row.isDeprecated,
    deprecatedAt: row.deprecatedAt?.toISOString() ?? null,
    deprecationReason: row.deprecationReason,
    createdAt: row.createdAt.toISOString(),
  };
}

const isUniqueViolation = (err: unknown) => {
  const e = err as { code?: string; message?: string };
  return e.code === 'P2002' || /Duplicate entry|1062/.test(e.message ?? '');
};

export class PrismaRulesetRepository implements RulesetRepository {
  constructor(private readonly prisma: PrismaClient) {}

  async findById(id: string) {
    const row = await this.prisma.ruleset.findUnique({ where: { id } });
    return row ? toInfo(row) : null;
  }

  async find(gameServiceId: string, code: string, version?: number | null) {
    const row = await this.prisma.ruleset.findFirst({
      where: { gameServiceId, code, ...(version != null && { version }) },
      orderBy: { version: 'desc' },
    });
    return row ? toInfo(row) : null;
  }

  async listLatest(f: RulesetListFilter) {
    // The latest version of each code: no later version of the same code exists.
    const rows = await this.prisma.$queryRaw<{ id: string }[]>`
      SELECT r.id FROM Ruleset r
      WHERE r.gameServiceId = ${f.gameServiceId} AND (${f.includeDeprecated} OR r.isDeprecated = false)
        AND NOT EXISTS (SELECT 1 FROM Ruleset n WHERE n.gameServiceId = r.gameServiceId AND n.code = r.code AND n.version > r.version)
      ORDER BY r.code`;
    const page = rows.slice((f.page - 1) * f.pageSize, f.page * f.pageSize).map((r) => r.id);
    const found = page.length > 0 ? await this.prisma.ruleset.findMany({ where: { id: { in: page } }, orderBy: { code: 'asc' } }) : [];
    return { items: found.map(toInfo), totalCount: rows.length };
  }

  async latestForUpdate(tx: Tx, gameServiceId: string, codes: string[]) {
    const out = new Map<string, RulesetInfo>();
    if (codes.length === 0) return out;
    const rows = await txClient(tx).$queryRaw<Ruleset[]>`
      SELECT * FROM Ruleset WHERE gameServiceId = ${gameServiceId} AND code IN (${Prisma.join(codes)}) ORDER BY code, version FOR UPDATE`;
    for (const row of rows) out.set(row.code, toInfo({ ...row, isDeprecated: Boolean(row.isDeprecated) }));
    return out;
  }

  async insert(tx: Tx, r: RulesetInfo) {
    try {
      await txClient(tx).ruleset.create({
        data: {
          id: r.rulesetId,
          gameServiceId: r.gameServiceId,
          code: r.code,
          version: r.version,
          name: r.definition.name ?? null,
          definition: JSON.stringify(r.definition),
          isDeprecated: r.isDeprecated,
          deprecatedAt: r.deprecatedAt ? new Date(r.deprecatedAt) : null,
          deprecationReason: r.deprecationReason ?? null,
          createdAt: new Date(r.createdAt),
        },
      });
    } catch (err) {
      if (isUniqueViolation(err)) throw new CraftError('RULESET_CODE_EXISTS', `ruleset ${r.code} version ${r.version} already exists`, { code: r.code });
      throw err;
    }
  }

  async deprecate(tx: Tx, gameServiceId: string, code: string, at: Date, reason: string | null) {
    const result = await txClient(tx).ruleset.updateMany({
      where: { gameServiceId, code, isDeprecated: false },
      data: { isDeprecated: true, deprecatedAt: at, deprecationReason: reason },
    });
    return result.count;
  }
}
