import type { PrismaClient, Proficiency } from '../../generated/prisma/client.js';
import type { Tx } from '../../services/ports.js';
import type { EntityRef, ProficiencyKey, ProficiencyRecord } from '../../services/proficiency/proficiency-model.js';
import type { ProficiencyRepository } from '../../services/proficiency/proficiency-repository.js';
import { txClient } from '../db/unit-of-work.js';

type ProficiencyRow = Pick<
  Proficiency,
  'id' | 'gameServiceId' | 'entityId' | 'entityType' | 'domain' | 'experience' | 'level' | 'phase'
>;

function toRecord(row: ProficiencyRow): ProficiencyRecord {
  return {
    id: row.id,
    gameServiceId: row.gameServiceId,
    entityId: row.entityId,
    entityType: row.entityType,
    domain: row.domain,
    experience: Number(row.experience),
    level: Number(row.level),
    phase: row.phase,
  };
}

const keyWhere = (k: ProficiencyKey) => ({
  gameServiceId_entityId_entityType_domain: {
    gameServiceId: k.gameServiceId,
    entityId: k.entityId,
    entityType: k.entityType,
    domain: k.domain,
  },
});

export class PrismaProficiencyRepository implements ProficiencyRepository {
  constructor(private readonly prisma: PrismaClient) {}

  async find(key: ProficiencyKey) {
    const row = await this.prisma.proficiency.findUnique({ where: keyWhere(key) });
    return row ? toRecord(row) : null;
  }

  async listForEntity(gameServiceId: string, entity: EntityRef, limit: number) {
    const rows = await this.prisma.proficiency.findMany({
      where: { gameServiceId, entityId: entity.entityId, entityType: entity.entityType },
      orderBy: { domain: 'asc' },
      take: limit,
    });
    return rows.map(toRecord);
  }

  async lockOrCreate(tx: Tx, key: ProficiencyKey, init: { id: string; initialPhase: string; now: Date }) {
    const db = txClient(tx);
    // One statement that either inserts the row or, on the unique key, takes an
    // exclusive lock on the existing one (the no-op update still locks it). No
    // gap-locking read precedes it, so concurrent first grants queue on the row
    // instead of deadlocking on insert intentions.
    await db.$executeRaw`
      INSERT INTO Proficiency (id, gameServiceId, entityId, entityType, domain, experience, level, phase, createdAt, updatedAt)
      VALUES (${init.id}, ${key.gameServiceId}, ${key.entityId}, ${key.entityType}, ${key.domain}, 0, 0,
              ${init.initialPhase}, ${init.now}, ${init.now})
      ON DUPLICATE KEY UPDATE id = id`;
    // A locking read sees the latest committed values, whatever snapshot the caller's
    // transaction already holds (grantInTx runs inside the session's transaction).
    const rows = await db.$queryRaw<ProficiencyRow[]>`
      SELECT id, gameServiceId, entityId, entityType, domain, experience, level, phase
      FROM Proficiency
      WHERE gameServiceId = ${key.gameServiceId} AND entityId = ${key.entityId}
        AND entityType = ${key.entityType} AND domain = ${key.domain}
      FOR UPDATE`;
    const row = rows[0];
    if (!row) throw new Error('proficiency row vanished inside its own transaction');
    return toRecord(row);
  }

  async write(tx: Tx, id: string, values: { experience: number; level: number; phase: string; now: Date }) {
    await txClient(tx).proficiency.update({
      where: { id },
      data: { experience: values.experience, level: values.level, phase: values.phase, updatedAt: values.now },
    });
  }

  async domainInUse(gameServiceId: string, domain: string) {
    const primary = await this.prisma.recipe.findFirst({ where: { gameServiceId, domain }, select: { id: true } });
    if (primary) return true;
    // Requirements and grants live in the definition document (LONGTEXT JSON).
    const rows = await this.prisma.$queryRaw<{ found: number }[]>`
      SELECT 1 AS found FROM Recipe
      WHERE gameServiceId = ${gameServiceId}
        AND (JSON_CONTAINS(JSON_EXTRACT(definition, '$.proficiencyRequirements[*].domain'), JSON_QUOTE(${domain}))
          OR JSON_CONTAINS(JSON_EXTRACT(definition, '$.experienceGrants[*].domain'), JSON_QUOTE(${domain})))
      LIMIT 1`;
    return rows.length > 0;
  }
}
