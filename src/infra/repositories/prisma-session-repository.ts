import type { CraftSession, PrismaClient } from '../../generated/prisma/client.js';
import type { Tx } from '../../services/ports.js';
import type { RecipeInfo } from '../../services/recipes/recipe-model.js';
import { LIVE_STATUSES, type SessionRecord, type SessionStatus } from '../../services/sessions/session-model.js';
import type { AbilityUseQuery, SessionListFilter, SessionRepository } from '../../services/sessions/session-repository.js';
import { txClient } from '../db/unit-of-work.js';
import { sqlTransaction, type SqlPool } from '../db/sql-pool.js';
import type { OutboxEventInput } from '../../services/ports.js';
import { outboxRows } from '../outbox/prisma-outbox.js';

function toRecord(row: CraftSession): SessionRecord {
  return {
    id: row.id,
    contractId: row.contractId,
    gameServiceId: row.gameServiceId,
    recipeId: row.recipeId,
    recipeCode: row.recipeCode,
    entityId: row.entityId,
    entityType: row.entityType,
    inventoryId: row.inventoryId,
    escrowContainerId: row.escrowContainerId,
    status: row.status as SessionStatus,
    currentStepIndex: row.currentStepIndex,
    version: row.version,
    attempt: row.attempt,
    rngSeed: row.rngSeed,
    state: JSON.parse(row.state),
    stepResults: JSON.parse(row.stepResults),
    participants: JSON.parse(row.participants),
    reservedMaterials: JSON.parse(row.reservedMaterials),
    currencyHolds: JSON.parse(row.currencyHolds),
    tools: row.tools ? JSON.parse(row.tools) : [],
    stationId: row.stationId,
    targetItemId: row.targetItemId,
    creatorSignature: row.creatorSignature,
    accumulatedQuality: row.accumulatedQuality,
    finalQuality: row.finalQuality,
    outputItemIds: row.outputItemIds ? JSON.parse(row.outputItemIds) : null,
    failureReason: row.failureReason,
    pendingEffects: row.pendingEffects,
    stepReadyAt: row.stepReadyAt,
    pausedAt: row.pausedAt ?? null,
    expiresAt: row.expiresAt,
    startedAt: row.startedAt,
    completedAt: row.completedAt,
    updatedAt: row.updatedAt,
    recipe: JSON.parse(row.recipeSnapshot) as RecipeInfo,
    rules: row.rules && row.rulesDefinition ? { ...JSON.parse(row.rules), definition: JSON.parse(row.rulesDefinition) } : null,
  };
}

/** The rules state without the definition (stored once, in its own column). */
function rulesColumn(s: SessionRecord): string | null {
  if (!s.rules) return null;
  const { definition, ...rest } = s.rules;
  void definition;
  return JSON.stringify(rest);
}

/** The columns a transition may change (everything a session is started with stays as written). */
function mutableColumns(s: SessionRecord) {
  return {
    contractId: s.contractId,
    escrowContainerId: s.escrowContainerId,
    status: s.status,
    currentStepIndex: s.currentStepIndex,
    version: s.version,
    attempt: s.attempt,
    state: JSON.stringify(s.state),
    stepResults: JSON.stringify(s.stepResults),
    participants: JSON.stringify(s.participants),
    reservedMaterials: JSON.stringify(s.reservedMaterials),
    currencyHolds: JSON.stringify(s.currencyHolds),
    tools: JSON.stringify(s.tools),
    stationId: s.stationId,
    targetItemId: s.targetItemId,
    accumulatedQuality: s.accumulatedQuality,
    finalQuality: s.finalQuality,
    outputItemIds: s.outputItemIds ? JSON.stringify(s.outputItemIds) : null,
    failureReason: s.failureReason,
    pendingEffects: s.pendingEffects,
    stepReadyAt: s.stepReadyAt,
    pausedAt: s.pausedAt,
    expiresAt: s.expiresAt,
    completedAt: s.completedAt,
    updatedAt: s.updatedAt,
    rules: rulesColumn(s),
  };
}

function toRow(s: SessionRecord) {
  return {
    id: s.id,
    gameServiceId: s.gameServiceId,
    recipeId: s.recipeId,
    recipeCode: s.recipeCode,
    entityId: s.entityId,
    entityType: s.entityType,
    inventoryId: s.inventoryId,
    rngSeed: s.rngSeed,
    startedAt: s.startedAt,
    recipeSnapshot: JSON.stringify(s.recipe),
    rulesDefinition: s.rules ? JSON.stringify(s.rules.definition) : null,
    creatorSignature: s.creatorSignature,
    ...mutableColumns(s),
  };
}

const MUTABLE = Object.keys(mutableColumns({ state: {}, stepResults: [], participants: [], reservedMaterials: [], currencyHolds: [], tools: [] } as unknown as SessionRecord));
const UPDATE_SQL = `UPDATE CraftSession SET ${MUTABLE.map((c) => `\`${c}\` = ?`).join(', ')} WHERE id = ? AND version = ?`;

/** A CraftSession row as the plain driver returns it (TINYINT(1) as a number). */
function fromDriver(row: Record<string, unknown>): CraftSession {
  return { ...row, pendingEffects: Boolean(row.pendingEffects) } as unknown as CraftSession;
}

export class PrismaSessionRepository implements SessionRepository {
  /** Reads by id and plain transitions use the plain driver (see createSqlPool); the rest Prisma. */
  constructor(
    private readonly prisma: PrismaClient,
    private readonly sql: { pool: SqlPool; subjectPrefix: string },
  ) {}

  async find(id: string, gameServiceIds?: string[] | null) {
    if (gameServiceIds && gameServiceIds.length === 0) return null;
    const rows = gameServiceIds
      ? await this.sql.pool.query<Record<string, unknown>[]>('SELECT * FROM CraftSession WHERE id = ? AND gameServiceId IN (?)', [id, gameServiceIds])
      : await this.sql.pool.query<Record<string, unknown>[]>('SELECT * FROM CraftSession WHERE id = ?', [id]);
    return rows[0] ? toRecord(fromDriver(rows[0])) : null;
  }

  async commit(next: SessionRecord, events: OutboxEventInput[]): Promise<boolean> {
    const values = Object.values(mutableColumns(next));
    return sqlTransaction(this.sql.pool, async (conn) => {
      const result = await conn.query<{ affectedRows: number }>(UPDATE_SQL, [...values, next.id, next.version - 1]);
      if (result.affectedRows !== 1) return false;
      const rows = outboxRows(this.sql.subjectPrefix, events);
      if (rows.length > 0) {
        await conn.query(
          `INSERT INTO OutboxEvent (eventId, subject, payload) VALUES ${rows.map(() => '(?, ?, ?)').join(', ')}`,
          rows.flatMap((r) => [r.eventId, r.subject, r.payload]),
        );
      }
      return true;
    });
  }

  async findByContract(contractId: string) {
    const row = await this.prisma.craftSession.findUnique({ where: { contractId } });
    return row ? toRecord(row) : null;
  }

  async list(f: SessionListFilter) {
    const where = {
      entityId: f.entityId,
      entityType: f.entityType,
      ...(f.gameServiceId && { gameServiceId: f.gameServiceId }),
      ...(f.gameServiceIds && { AND: [{ gameServiceId: { in: f.gameServiceIds } }] }),
      ...(!f.includeFinished && { status: { in: LIVE_STATUSES } }),
    };
    const [rows, totalCount] = await Promise.all([
      this.prisma.craftSession.findMany({
        where,
        orderBy: [{ startedAt: 'desc' }, { id: 'asc' }],
        skip: (f.page - 1) * f.pageSize,
        take: f.pageSize,
      }),
      this.prisma.craftSession.count({ where }),
    ]);
    return { items: rows.map(toRecord), totalCount };
  }

  async activeForUpdate(tx: Tx, gameServiceId: string, entityId: string, entityType: string) {
    const db = txClient(tx);
    // Lock the entity's guard row by primary key (created on first use): concurrent starts of
    // one entity queue here instead of deadlocking on gap locks over CraftSession.
    // (ON DUPLICATE KEY UPDATE takes the exclusive lock at once; INSERT IGNORE + FOR UPDATE would
    // take a shared lock first and deadlock two starts against each other.)
    await db.$executeRaw`
      INSERT INTO CraftEntityGuard (entityId, entityType) VALUES (${entityId}, ${entityType})
      ON DUPLICATE KEY UPDATE entityId = entityId`;
    const rows = await db.$queryRaw<{ id: string }[]>`
      SELECT id FROM CraftSession
      WHERE entityId = ${entityId} AND entityType = ${entityType} AND gameServiceId = ${gameServiceId}
        AND status IN ('starting', 'active', 'paused')
      ORDER BY startedAt, id`;
    return rows.map((r) => r.id);
  }

  async insert(tx: Tx, session: SessionRecord) {
    await txClient(tx).craftSession.create({ data: toRow(session) });
  }

  async update(tx: Tx, next: SessionRecord) {
    // What a session is started with (its recipe snapshot above all) is never written again.
    const result = await txClient(tx).craftSession.updateMany({ where: { id: next.id, version: next.version - 1 }, data: mutableColumns(next) });
    return result.count === 1;
  }

  async isKnown(entityId: string, entityType: string, recipeId: string) {
    const row = await this.prisma.knownRecipe.findUnique({
      where: { entityId_entityType_recipeId: { entityId, entityType, recipeId } },
      select: { recipeId: true },
    });
    return row !== null;
  }

  async findExpired(now: Date, limit: number) {
    const rows = await this.prisma.craftSession.findMany({
      where: { status: 'active', expiresAt: { lt: now } },
      select: { id: true },
      take: limit,
    });
    return rows.map((r) => r.id);
  }

  async findPausedTooLong(now: Date, defaultSeconds: number, limit: number) {
    // Paused sessions, oldest first, each against its game service's own limit. The shortest
    // limit in force bounds pausedAt so the (status, pausedAt) index serves a range, not every
    // paused session.
    const [shortest] = await this.prisma.$queryRaw<{ s: number | null }[]>`SELECT MIN(maxPausedSeconds) AS s FROM CraftGameServiceSettings`;
    const bound = Math.min(defaultSeconds, Number(shortest?.s ?? defaultSeconds));
    const rows = await this.prisma.$queryRaw<{ id: string }[]>`
      SELECT s.id FROM CraftSession s
      LEFT JOIN CraftGameServiceSettings g ON g.gameServiceId = s.gameServiceId
      WHERE s.status = 'paused'
        AND s.pausedAt < DATE_SUB(${now}, INTERVAL ${bound} SECOND)
        AND s.pausedAt < DATE_SUB(${now}, INTERVAL COALESCE(g.maxPausedSeconds, ${defaultSeconds}) SECOND)
      ORDER BY s.pausedAt
      LIMIT ${limit}`;
    return rows.map((r) => r.id);
  }

  async findStale(statuses: SessionStatus[], olderThan: Date, limit: number) {
    const rows = await this.prisma.craftSession.findMany({
      where: { status: { in: statuses }, updatedAt: { lt: olderThan } },
      select: { id: true },
      take: limit,
    });
    return rows.map((r) => r.id);
  }

  async findPendingEffects(olderThan: Date, limit: number) {
    const rows = await this.prisma.craftSession.findMany({
      where: { pendingEffects: true, updatedAt: { lt: olderThan } },
      select: { id: true },
      take: limit,
    });
    return rows.map((r) => r.id);
  }

  async recordCompletion(tx: Tx, s: { gameServiceId: string; entityId: string; entityType: string; recipeId: string }) {
    const db = txClient(tx);
    const inserted = await db.$executeRaw`
      INSERT IGNORE INTO CompletedRecipe (gameServiceId, entityId, entityType, recipeId, completedCount, firstCompletedAt)
      VALUES (${s.gameServiceId}, ${s.entityId}, ${s.entityType}, ${s.recipeId}, 1, NOW(3))`;
    if (inserted === 1) return true;
    await db.$executeRaw`
      UPDATE CompletedRecipe SET completedCount = completedCount + 1
      WHERE entityId = ${s.entityId} AND entityType = ${s.entityType} AND recipeId = ${s.recipeId}`;
    return false;
  }

  async lastCompletedQuality(entityId: string, entityType: string, gameServiceId: string) {
    const row = await this.prisma.craftSession.findFirst({
      where: { entityId, entityType, gameServiceId, status: 'completed' },
      orderBy: { completedAt: 'desc' },
      select: { finalQuality: true },
    });
    return row?.finalQuality ?? null;
  }

  async markInbox(tx: Tx, messageId: string, subject: string) {
    const inserted = await txClient(tx).$executeRaw`
      INSERT IGNORE INTO InboxMessage (messageId, subject, processedAt) VALUES (${messageId}, ${subject}, NOW(3))`;
    return inserted === 1;
  }

  async abilityUses(q: AbilityUseQuery, tx?: Tx) {
    const out = new Map<string, number>();
    for (const { action, from } of q.since) {
      const rows = tx
        ? await txClient(tx).$queryRaw<{ n: bigint }[]>`
            SELECT COUNT(*) AS n FROM CraftAbilityUse
            WHERE gameServiceId = ${q.gameServiceId} AND entityId = ${q.entityId} AND entityType = ${q.entityType}
              AND rulesetCode = ${q.rulesetCode} AND action = ${action} AND usedAt >= ${from} FOR UPDATE`
        : await this.prisma.$queryRaw<{ n: bigint }[]>`
            SELECT COUNT(*) AS n FROM CraftAbilityUse
            WHERE gameServiceId = ${q.gameServiceId} AND entityId = ${q.entityId} AND entityType = ${q.entityType}
              AND rulesetCode = ${q.rulesetCode} AND action = ${action} AND usedAt >= ${from}`;
      out.set(action, Number(rows[0]?.n ?? 0));
    }
    return out;
  }

  async recordAbilityUse(tx: Tx, use: { id: string; gameServiceId: string; entityId: string; entityType: string; rulesetCode: string; action: string; sessionId: string; usedAt: Date }) {
    await txClient(tx).craftAbilityUse.create({ data: use });
  }
}
