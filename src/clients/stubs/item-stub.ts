import { randomUUID } from 'node:crypto';
import type { StubItemTemplate } from '../../generated/prisma/client.js';
import { ClientError } from '../errors.js';
import type { DestroyReason, ItemClient, ItemInstance, ItemTemplate, OriginType, QualityModel } from '../item-client.js';
import { lockInstance, TemplateCodes } from './item-rows.js';
import { formatUnits, parseJson, requireNonEmpty, StubCalls, toDecimalString, units, type StubDeps, type StubTx } from './stub-calls.js';

const SERVICE = 'item';
const ORIGIN_TYPES: readonly OriginType[] = ['Craft', 'Loot', 'Quest', 'Admin', 'Grant'];
const DESTROY_REASONS: readonly DestroyReason[] = ['Consumed', 'Destroyed', 'Expired', 'Admin'];
const QUALITY_MODELS: readonly QualityModel[] = ['continuous', 'none'];

function toTemplate(r: StubItemTemplate): ItemTemplate {
  return {
    templateId: r.id,
    code: r.code,
    gameServiceId: r.gameServiceId,
    category: r.category,
    itemClass: r.itemClass,
    itemLevel: r.itemLevel,
    qualityModel: r.qualityModel as QualityModel,
    tags: jsonOr(r.tags, [] as string[]),
    tier: r.tier,
    stats: jsonOr(r.stats, {} as Record<string, number>),
    createdAt: r.createdAt.toISOString(),
  };
}

function jsonOr<T>(text: string, fallback: T): T {
  try {
    return (JSON.parse(text) as T) ?? fallback;
  } catch {
    return fallback;
  }
}

function metadataOf(value: unknown): Record<string, unknown> {
  if (value === undefined || value === null) return {};
  if (typeof value !== 'object' || Array.isArray(value)) {
    throw new ClientError(SERVICE, 'invalid', 'instanceMetadata must be an object');
  }
  return value as Record<string, unknown>;
}

/**
 * The item service of record in standalone mode (tables stub_item_template and
 * stub_item_instance). Instances are soft-deleted.
 */
export class ItemStub implements ItemClient {
  private readonly calls: StubCalls;
  private readonly codes = new TemplateCodes();

  constructor(deps: StubDeps) {
    this.calls = new StubCalls(SERVICE, deps);
  }

  getTemplate(query: { gameId: string; templateId?: string; code?: string }): Promise<ItemTemplate | null> {
    return this.calls.call('getTemplate', async () => {
      const prisma = this.calls.prisma;
      if (!query.gameId) throw new ClientError(SERVICE, 'invalid', 'getTemplate needs gameId');
      let row: StubItemTemplate | null = null;
      if (query.templateId) row = await prisma.stubItemTemplate.findFirst({ where: { id: query.templateId, gameServiceId: query.gameId } });
      else if (query.code) {
        row = await prisma.stubItemTemplate.findUnique({
          where: { gameServiceId_code: { gameServiceId: query.gameId, code: query.code } },
        });
      } else throw new ClientError(SERVICE, 'invalid', 'getTemplate needs templateId or code');
      return row ? toTemplate(row) : null;
    });
  }

  createTemplate(input: {
    gameServiceId: string;
    code: string;
    category: string;
    itemClass?: string | null;
    itemLevel?: number | null;
    qualityModel?: QualityModel;
    tags?: string[];
    tier?: number | null;
    stats?: Record<string, number>;
  }): Promise<ItemTemplate> {
    return this.calls.call('createTemplate', async () => {
      requireNonEmpty(SERVICE, 'gameServiceId', input.gameServiceId, 36);
      requireNonEmpty(SERVICE, 'code', input.code, 200);
      requireNonEmpty(SERVICE, 'category', input.category, 100);
      const qualityModel = input.qualityModel ?? 'continuous';
      if (!QUALITY_MODELS.includes(qualityModel)) {
        throw new ClientError(SERVICE, 'invalid', `qualityModel must be one of ${QUALITY_MODELS.join(', ')}`);
      }
      if (input.itemLevel != null && !Number.isInteger(input.itemLevel)) {
        throw new ClientError(SERVICE, 'invalid', 'itemLevel must be an integer');
      }
      if (input.tier != null && !Number.isInteger(input.tier)) throw new ClientError(SERVICE, 'invalid', 'tier must be an integer');
      const tags = [...new Set(input.tags ?? [])];
      if (tags.some((t) => typeof t !== 'string' || t.length === 0 || t.length > 64)) throw new ClientError(SERVICE, 'invalid', 'tags are strings of 1 to 64 characters');
      const stats = input.stats ?? {};
      if (Object.values(stats).some((v) => typeof v !== 'number' || !Number.isFinite(v))) throw new ClientError(SERVICE, 'invalid', 'stats are finite numbers');
      try {
        const row = await this.calls.prisma.stubItemTemplate.create({
          data: {
            id: randomUUID(),
            gameServiceId: input.gameServiceId,
            code: input.code,
            category: input.category,
            itemClass: input.itemClass ?? null,
            itemLevel: input.itemLevel ?? null,
            qualityModel,
            tags: JSON.stringify(tags),
            tier: input.tier ?? null,
            stats: JSON.stringify(stats),
          },
        });
        return toTemplate(row);
      } catch (err) {
        if ((err as { code?: string }).code === 'P2002') {
          throw new ClientError(SERVICE, 'conflict', `item template "${input.code}" exists in this game service`);
        }
        throw err;
      }
    });
  }

  listTemplates(gameServiceId: string): Promise<ItemTemplate[]> {
    return this.calls.call('listTemplates', async () => {
      const rows = await this.calls.prisma.stubItemTemplate.findMany({ where: { gameServiceId }, orderBy: { code: 'asc' } });
      return rows.map(toTemplate);
    });
  }

  createInstance(
    input: {
      templateId: string;
      containerId: string;
      realmId: string;
      quantity: number;
      instanceMetadata?: Record<string, unknown>;
      originType: OriginType;
      originId?: string;
    },
    idempotencyKey: string,
  ): Promise<ItemInstance> {
    return this.calls.mutate('createInstance', idempotencyKey, async (tx) => {
      const quantity = toDecimalString(SERVICE, 'quantity', input.quantity);
      const metadata = metadataOf(input.instanceMetadata);
      requireNonEmpty(SERVICE, 'realmId', input.realmId, 100);
      if (!ORIGIN_TYPES.includes(input.originType)) {
        throw new ClientError(SERVICE, 'invalid', `originType must be one of ${ORIGIN_TYPES.join(', ')}`);
      }
      const template = await tx.stubItemTemplate.findUnique({ where: { id: input.templateId } });
      if (!template) throw new ClientError(SERVICE, 'not_found', `item template ${input.templateId} not found`);
      await requireContainer(tx, input.containerId, template.gameServiceId);
      const row = await tx.stubItemInstance.create({
        data: {
          id: randomUUID(),
          templateId: template.id,
          gameServiceId: template.gameServiceId,
          containerId: input.containerId,
          realmId: input.realmId,
          quantity,
          instanceMetadata: JSON.stringify(metadata),
          originType: input.originType,
          originId: input.originId ?? null,
        },
      });
      return (await this.codes.toInstances(tx, [row]))[0]!;
    });
  }

  getInstance(instanceId: string, gameServiceId: string): Promise<ItemInstance | null> {
    return this.calls.call('getInstance', async () => {
      const row = await this.calls.prisma.stubItemInstance.findFirst({ where: { id: instanceId, gameServiceId, destroyedAt: null } });
      return row ? (await this.codes.toInstances(this.calls.prisma, [row]))[0]! : null;
    });
  }

  batchGetInstances(instanceIds: string[], gameServiceId: string): Promise<{ items: ItemInstance[]; notFound: string[] }> {
    return this.calls.call('batchGetInstances', async () => {
      const ids = [...new Set(instanceIds)];
      const rows =
        ids.length === 0
          ? []
          : await this.calls.prisma.stubItemInstance.findMany({ where: { id: { in: ids }, gameServiceId, destroyedAt: null } });
      const items = await this.codes.toInstances(this.calls.prisma, rows);
      const found = new Map(items.map((i) => [i.instanceId, i]));
      return {
        items: ids.flatMap((id) => (found.has(id) ? [found.get(id)!] : [])),
        notFound: ids.filter((id) => !found.has(id)),
      };
    });
  }

  modifyInstance(
    input: {
      instanceId: string;
      gameServiceId: string;
      quantityDelta?: number;
      instanceMetadata?: Record<string, unknown>;
      newContainerId?: string;
    },
    idempotencyKey: string,
  ): Promise<ItemInstance> {
    return this.calls.mutate('modifyInstance', idempotencyKey, async (tx) => {
      const patch = input.instanceMetadata === undefined ? null : metadataOf(input.instanceMetadata);
      const row = await lockInstance(tx, input.instanceId);
      if (!row || row.destroyedAt || row.gameServiceId !== input.gameServiceId) throw new ClientError(SERVICE, 'not_found', `item instance ${input.instanceId} not found`);
      let quantity: string | undefined;
      if (input.quantityDelta !== undefined && input.quantityDelta !== 0) {
        const delta = input.quantityDelta;
        const magnitude = toDecimalString(SERVICE, 'quantityDelta', Math.abs(delta));
        const next = units(row.quantity) + (delta < 0 ? -units(magnitude) : units(magnitude));
        if (next <= 0n) {
          throw new ClientError(SERVICE, 'conflict', `quantity ${row.quantity.toString()} ${delta} would not stay > 0; destroy the instance instead`);
        }
        quantity = formatUnits(next);
      }
      if (input.newContainerId !== undefined) await requireContainer(tx, input.newContainerId, row.gameServiceId);
      const metadata = patch ? { ...parseJson<Record<string, unknown>>(row.instanceMetadata, {}), ...patch } : undefined;
      const updated = await tx.stubItemInstance.update({
        where: { id: row.id },
        data: {
          ...(quantity !== undefined && { quantity }),
          ...(metadata !== undefined && { instanceMetadata: JSON.stringify(metadata) }),
          ...(input.newContainerId !== undefined && { containerId: input.newContainerId }),
        },
      });
      return (await this.codes.toInstances(tx, [updated]))[0]!;
    });
  }

  async destroyInstance(input: { instanceId: string; gameServiceId: string; reason: DestroyReason }, idempotencyKey: string): Promise<void> {
    await this.calls.mutate('destroyInstance', idempotencyKey, async (tx) => {
      if (!DESTROY_REASONS.includes(input.reason)) {
        throw new ClientError(SERVICE, 'invalid', `reason must be one of ${DESTROY_REASONS.join(', ')}`);
      }
      const row = await lockInstance(tx, input.instanceId);
      if (!row || row.destroyedAt || row.gameServiceId !== input.gameServiceId) throw new ClientError(SERVICE, 'not_found', `item instance ${input.instanceId} not found`);
      await tx.stubItemInstance.update({
        where: { id: row.id },
        data: { destroyedAt: new Date(), destroyReason: input.reason },
      });
      return null;
    });
  }
}

/** The container must exist and belong to the item's game service (another game service's is unknown). */
async function requireContainer(tx: StubTx, containerId: string, gameServiceId: string): Promise<void> {
  const container = await tx.stubContainer.findFirst({ where: { id: containerId, gameServiceId }, select: { id: true } });
  if (!container) throw new ClientError(SERVICE, 'not_found', `container ${containerId} not found`);
}

