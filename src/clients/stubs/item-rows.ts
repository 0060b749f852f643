// Row <-> interface mapping for stub_item_instance, shared by the item and inventory stubs.
import type { PrismaClient, StubItemInstance } from '../../generated/prisma/client.js';
import type { ItemInstance, OriginType } from '../item-client.js';
import { num, parseJson, type StubTx } from './stub-calls.js';

type Db = PrismaClient | StubTx;

export function toInstance(row: StubItemInstance, templateCode: string): ItemInstance {
  const instanceMetadata = parseJson<Record<string, unknown>>(row.instanceMetadata, {});
  const quality = instanceMetadata.quality;
  return {
    instanceId: row.id,
    templateId: row.templateId,
    templateCode,
    gameServiceId: row.gameServiceId,
    containerId: row.containerId,
    realmId: row.realmId,
    quantity: num(row.quantity),
    quality: typeof quality === 'number' && Number.isFinite(quality) ? quality : null,
    instanceMetadata,
    originType: row.originType as OriginType,
    originId: row.originId,
    createdAt: row.createdAt.toISOString(),
  };
}

/** Template codes by id. Templates never change once created, so caching them is safe. */
export class TemplateCodes {
  private readonly codes = new Map<string, string>();

  async get(db: Db, templateIds: Iterable<string>): Promise<Map<string, string>> {
    const wanted = [...new Set(templateIds)];
    const missing = wanted.filter((id) => !this.codes.has(id));
    if (missing.length > 0) {
      const rows = await db.stubItemTemplate.findMany({ where: { id: { in: missing } }, select: { id: true, code: true } });
      for (const r of rows) this.codes.set(r.id, r.code);
    }
    return new Map(wanted.map((id) => [id, this.codes.get(id) ?? '']));
  }

  async toInstances(db: Db, rows: StubItemInstance[]): Promise<ItemInstance[]> {
    const codes = await this.get(db, rows.map((r) => r.templateId));
    return rows.map((r) => toInstance(r, codes.get(r.templateId) ?? ''));
  }
}

/** Locks an instance row for the rest of the transaction and returns it (current state). */
export async function lockInstance(tx: StubTx, instanceId: string): Promise<StubItemInstance | null> {
  await tx.$queryRaw`SELECT id FROM stub_item_instance WHERE id = ${instanceId} FOR UPDATE`;
  // READ COMMITTED: this read sees the latest committed row, which the lock now freezes.
  return tx.stubItemInstance.findUnique({ where: { id: instanceId } });
}
