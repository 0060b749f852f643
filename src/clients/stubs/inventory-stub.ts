import { randomUUID } from 'node:crypto';
import type { StubContainer, StubItemInstance } from '../../generated/prisma/client.js';
import { ClientError } from '../errors.js';
import type { Container, InventoryClient } from '../inventory-client.js';
import { lockInstance, TemplateCodes } from './item-rows.js';
import { formatUnits, num, requireNonEmpty, StubCalls, toDecimalString, units, type StubDeps, type StubTx } from './stub-calls.js';

const SERVICE = 'inventory';

function toContainer(r: StubContainer): Container {
  return {
    containerId: r.id,
    ownerId: r.ownerId,
    ownerType: r.ownerType,
    containerType: r.containerType,
    // Containers made before every container had one carry none: no caller's game service matches.
    gameServiceId: r.gameServiceId ?? '',
    createdAt: r.createdAt.toISOString(),
  };
}

/**
 * The inventory service of record in standalone mode (table stub_container; the instances
 * are the item stub's rows, whose containerId says where they are). `transfer` is the only
 * guarded move: the instance must be in the named source container.
 */
export class InventoryStub implements InventoryClient {
  private readonly calls: StubCalls;
  private readonly codes = new TemplateCodes();

  constructor(deps: StubDeps) {
    this.calls = new StubCalls(SERVICE, deps);
  }

  listContainers(query: { ownerId: string; ownerType: string; gameServiceId: string; containerType?: string }): Promise<Container[]> {
    return this.calls.call('listContainers', async () => {
      const rows = await this.calls.prisma.stubContainer.findMany({
        where: {
          ownerId: query.ownerId,
          ownerType: query.ownerType,
          gameServiceId: query.gameServiceId,
          ...(query.containerType && { containerType: query.containerType }),
        },
        orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
      });
      return rows.map(toContainer);
    });
  }

  getContainer(containerId: string, includeContents: boolean, gameServiceId: string): Promise<Container | null> {
    return this.calls.call('getContainer', async () => {
      const prisma = this.calls.prisma;
      const row = await prisma.stubContainer.findFirst({ where: { id: containerId, gameServiceId } });
      if (!row) return null;
      const container = toContainer(row);
      if (includeContents) {
        const items = await prisma.stubItemInstance.findMany({
          where: { containerId, gameServiceId, destroyedAt: null },
          orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
        });
        container.contents = await this.codes.toInstances(prisma, items);
      }
      return container;
    });
  }

  createContainer(
    input: { ownerId: string; ownerType: string; containerType: string; gameServiceId: string },
    idempotencyKey: string,
  ): Promise<Container> {
    return this.calls.mutate('createContainer', idempotencyKey, async (tx) => {
      requireNonEmpty(SERVICE, 'ownerId', input.ownerId, 100);
      requireNonEmpty(SERVICE, 'ownerType', input.ownerType, 100);
      requireNonEmpty(SERVICE, 'containerType', input.containerType, 100);
      requireNonEmpty(SERVICE, 'gameServiceId', input.gameServiceId, 36);
      const row = await tx.stubContainer.create({
        data: {
          id: randomUUID(),
          ownerId: input.ownerId,
          ownerType: input.ownerType,
          containerType: input.containerType,
          gameServiceId: input.gameServiceId,
        },
      });
      return toContainer(row);
    });
  }

  async add(input: { instanceId: string; containerId: string; gameServiceId: string }, idempotencyKey: string): Promise<void> {
    await this.calls.mutate('add', idempotencyKey, async (tx) => {
      const row = await lockInstance(tx, input.instanceId);
      if (!row || row.destroyedAt || row.gameServiceId !== input.gameServiceId) {
        throw new ClientError(SERVICE, 'not_found', `item instance ${input.instanceId} not found`);
      }
      await requireContainer(tx, input.containerId, input.gameServiceId);
      if (row.containerId !== input.containerId) {
        await tx.stubItemInstance.update({ where: { id: row.id }, data: { containerId: input.containerId } });
      }
      return null;
    });
  }

  async remove(input: { instanceId: string; gameServiceId: string }, idempotencyKey: string): Promise<void> {
    await this.calls.mutate('remove', idempotencyKey, async () => {
      throw new ClientError(
        SERVICE,
        'invalid',
        `cannot remove ${input.instanceId}: the stub keeps every instance in a container (use transfer, or destroy the instance)`,
      );
    });
  }

  transfer(
    input: {
      instanceId: string;
      sourceContainerId: string;
      targetContainerId: string;
      gameServiceId: string;
      quantity?: number;
      mergeStacks?: boolean;
    },
    idempotencyKey: string,
  ): Promise<{ instanceId: string }> {
    return this.calls.mutate('transfer', idempotencyKey, async (tx) => {
      requireNonEmpty(SERVICE, 'sourceContainerId', input.sourceContainerId, 36);
      requireNonEmpty(SERVICE, 'targetContainerId', input.targetContainerId, 36);
      if (input.sourceContainerId === input.targetContainerId) {
        throw new ClientError(SERVICE, 'invalid', 'source and target containers are the same');
      }
      const quantity = input.quantity === undefined ? null : units(toDecimalString(SERVICE, 'quantity', input.quantity));

      const row = await lockInstance(tx, input.instanceId);
      if (!row || row.destroyedAt || row.gameServiceId !== input.gameServiceId) {
        throw new ClientError(SERVICE, 'not_found', `item instance ${input.instanceId} not found`);
      }
      if (row.containerId !== input.sourceContainerId) {
        throw new ClientError(SERVICE, 'conflict', `item instance ${input.instanceId} is not in container ${input.sourceContainerId}`);
      }
      await requireContainer(tx, input.targetContainerId, input.gameServiceId);

      const stack = units(row.quantity);
      const moving = quantity ?? stack;
      if (moving > stack) {
        throw new ClientError(
          SERVICE,
          'conflict',
          `cannot move ${formatUnits(moving)} of item instance ${row.id}: the stack holds ${formatUnits(stack)}`,
        );
      }
      const join = input.mergeStacks ? await stackToJoin(tx, row, input.targetContainerId) : null;
      if (join) {
        await tx.stubItemInstance.update({ where: { id: join.id }, data: { quantity: formatUnits(units(join.quantity) + moving) } });
        if (moving === stack) {
          // The whole stack joined another: this row ends as `Merged` (not consumed) with quantity 0,
          // so every sum over the rows (live, consumed, crafted) counts the items once, in the stack.
          await tx.stubItemInstance.update({ where: { id: row.id }, data: { destroyedAt: new Date(), destroyReason: 'Merged', quantity: '0.0000' } });
        } else {
          await tx.stubItemInstance.update({ where: { id: row.id }, data: { quantity: formatUnits(stack - moving) } });
        }
        return { instanceId: join.id };
      }
      if (moving === stack) {
        await tx.stubItemInstance.update({ where: { id: row.id }, data: { containerId: input.targetContainerId } });
        return { instanceId: row.id };
      }
      // Split: the source keeps the rest, the moved part is a new instance in the target.
      await tx.stubItemInstance.update({ where: { id: row.id }, data: { quantity: formatUnits(stack - moving) } });
      const moved = await tx.stubItemInstance.create({
        data: {
          id: randomUUID(),
          templateId: row.templateId,
          gameServiceId: row.gameServiceId,
          containerId: input.targetContainerId,
          realmId: row.realmId,
          quantity: formatUnits(moving),
          instanceMetadata: row.instanceMetadata,
          originType: row.originType,
          originId: row.originId,
        },
      });
      return { instanceId: moved.id };
    });
  }

  has(input: {
    ownerId: string;
    ownerType: string;
    gameServiceId: string;
    requirements: { templateId: string; quantity: number }[];
  }): Promise<{ hasAll: boolean; missing: { templateId: string; required: number; available: number }[] }> {
    return this.calls.call('has', async () => {
      const prisma = this.calls.prisma;
      const required = new Map<string, number>();
      for (const r of input.requirements) required.set(r.templateId, (required.get(r.templateId) ?? 0) + r.quantity);
      const containers = await prisma.stubContainer.findMany({
        where: { ownerId: input.ownerId, ownerType: input.ownerType, gameServiceId: input.gameServiceId },
        select: { id: true },
      });
      const sums =
        containers.length === 0 || required.size === 0
          ? []
          : await prisma.stubItemInstance.groupBy({
              by: ['templateId'],
              where: {
                containerId: { in: containers.map((c) => c.id) },
                templateId: { in: [...required.keys()] },
                gameServiceId: input.gameServiceId,
                destroyedAt: null,
              },
              _sum: { quantity: true },
            });
      const available = new Map(sums.map((s) => [s.templateId, num(s._sum.quantity)]));
      const missing = [...required]
        .map(([templateId, quantity]) => ({ templateId, required: quantity, available: available.get(templateId) ?? 0 }))
        .filter((m) => m.available < m.required);
      return { hasAll: missing.length === 0, missing };
    });
  }

  count(input: { containerId: string; templateId: string; gameServiceId: string }): Promise<number> {
    return this.calls.call('count', async () => {
      const agg = await this.calls.prisma.stubItemInstance.aggregate({
        where: { containerId: input.containerId, templateId: input.templateId, gameServiceId: input.gameServiceId, destroyedAt: null },
        _sum: { quantity: true },
      });
      return num(agg._sum.quantity);
    });
  }
}

async function requireContainer(tx: StubTx, containerId: string, gameServiceId: string): Promise<void> {
  const container = await tx.stubContainer.findFirst({ where: { id: containerId, gameServiceId }, select: { id: true } });
  if (!container) throw new ClientError(SERVICE, 'not_found', `container ${containerId} not found`);
}

/**
 * A live stack in the target with the same template and exactly the same realm, metadata and
 * origin as `row` (byte for byte: the columns' collation would equate "Ash" and "ash"), the
 * oldest, locked. A different origin (looted vs crafted, another session's output) keeps its
 * own stack: its provenance would be lost in a merge.
 */
async function stackToJoin(tx: StubTx, row: StubItemInstance, containerId: string): Promise<StubItemInstance | null> {
  const candidates = await tx.$queryRaw<{ id: string }[]>`
    SELECT id FROM stub_item_instance
    WHERE containerId = ${containerId} AND templateId = ${row.templateId}
      AND realmId COLLATE utf8mb4_bin = ${row.realmId} AND instanceMetadata COLLATE utf8mb4_bin = ${row.instanceMetadata}
      AND originType = ${row.originType} AND originId COLLATE utf8mb4_bin <=> ${row.originId}
      AND destroyedAt IS NULL AND id <> ${row.id}
    ORDER BY createdAt, id LIMIT 1 FOR UPDATE`;
  if (candidates.length === 0) return null;
  return tx.stubItemInstance.findUnique({ where: { id: candidates[0]!.id } });
}
