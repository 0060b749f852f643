import { randomUUID } from 'node:crypto';
import type { PrismaClient, StubAffixDefinition, StubAffixItem } from '../../generated/prisma/client.js';
import type {
  AffixClient,
  AffixDefinition,
  AffixInstance,
  AffixPoolEntry,
  AffixStateFlags,
  ItemAffixState,
} from '../affix-client.js';
import { ClientError } from '../errors.js';
import { parseJson, requireNonEmpty, StubCalls, type StubDeps, type StubTx } from './stub-calls.js';

const SERVICE = 'affix';
type Db = PrismaClient | StubTx;

/** Every operation of the affix stub, as fault injection names them (arm them all to make the service unavailable). */
export const AFFIX_OPS = [
  'affix.getItem',
  'affix.getDefinition',
  'affix.generatePool',
  'affix.apply',
  'affix.remove',
  'affix.rerollValues',
  'affix.setState',
  'affix.createDefinition',
  'affix.setItemState',
] as const;

/** The slot types with a per-item limit, and the column holding it. */
const LIMITS = { prefix: 'maxPrefixes', suffix: 'maxSuffixes' } as const;
type LimitedSlot = keyof typeof LIMITS;
const DEFAULT_LIMIT = 3;
const MAX_LIMIT = 100;
const FLAGS = ['isIdentified', 'isCorrupted', 'isMirrored', 'isFractured'] as const;

const isLimited = (slot: string): slot is LimitedSlot => Object.hasOwn(LIMITS, slot);
const round4 = (x: number) => Math.round(x * 10_000) / 10_000;

function toDefinition(r: StubAffixDefinition): AffixDefinition {
  return {
    definitionId: r.id,
    gameServiceId: r.gameServiceId,
    code: r.code,
    tags: parseJson<string[]>(r.tags, []),
    slotType: r.slotType,
    tier: r.tier,
    weight: r.weight,
    valueMin: r.valueMin,
    valueMax: r.valueMax,
    validItemClasses: parseJson<string[] | null>(r.validItemClasses, null),
    minItemLevel: r.minItemLevel,
    createdAt: r.createdAt.toISOString(),
  };
}

/** The state of an item; no row = the defaults (identified, nothing set, 3 + 3 slots, no affixes). */
async function loadItem(db: Db, itemInstanceId: string): Promise<ItemAffixState> {
  const row = await db.stubAffixItem.findUnique({ where: { itemInstanceId } });
  const rows = row
    ? await db.stubItemAffix.findMany({
        where: { itemInstanceId },
        orderBy: { position: 'asc' },
        include: { definition: { select: { code: true, tags: true } } },
      })
    : [];
  const affixes: AffixInstance[] = rows.map((a) => ({
    definitionId: a.definitionId,
    code: a.definition.code,
    tags: parseJson<string[]>(a.definition.tags, []),
    slotType: a.slotType,
    tier: a.tier,
    value: a.value,
    valuePercentile: a.valuePercentile,
    isFractured: a.isFractured,
  }));
  const maxPrefixes = row?.maxPrefixes ?? DEFAULT_LIMIT;
  const maxSuffixes = row?.maxSuffixes ?? DEFAULT_LIMIT;
  const used = (slot: string) => affixes.filter((a) => a.slotType === slot).length;
  return {
    itemInstanceId,
    affixes,
    isIdentified: row?.isIdentified ?? true,
    isCorrupted: row?.isCorrupted ?? false,
    isMirrored: row?.isMirrored ?? false,
    isFractured: row?.isFractured ?? false,
    maxPrefixes,
    maxSuffixes,
    freeSlots: { prefix: Math.max(0, maxPrefixes - used('prefix')), suffix: Math.max(0, maxSuffixes - used('suffix')) },
  };
}

/**
 * Creates the item's row unless it exists (a concurrent creator is waited for, not
 * duplicated), then locks it for the rest of the transaction: every change to an item's
 * affixes happens under this lock, so slot limits hold under concurrency.
 */
async function lockItem(tx: StubTx, itemInstanceId: string): Promise<StubAffixItem> {
  requireNonEmpty(SERVICE, 'itemInstanceId', itemInstanceId, 36);
  await tx.$executeRaw`INSERT IGNORE INTO stub_affix_item (itemInstanceId, updatedAt) VALUES (${itemInstanceId}, ${new Date()})`;
  await tx.$queryRaw`SELECT itemInstanceId FROM stub_affix_item WHERE itemInstanceId = ${itemInstanceId} FOR UPDATE`;
  // READ COMMITTED: this read sees the latest committed row, which the lock now freezes.
  return tx.stubAffixItem.findUniqueOrThrow({ where: { itemInstanceId } });
}

/** apply / remove / rerollValues refuse corrupted and mirrored items. */
function requireModifiable(item: StubAffixItem, what: string): void {
  if (item.isMirrored) throw new ClientError(SERVICE, 'conflict', `cannot ${what}: item ${item.itemInstanceId} is mirrored`);
  if (item.isCorrupted) throw new ClientError(SERVICE, 'conflict', `cannot ${what}: item ${item.itemInstanceId} is corrupted`);
}

function percentileOf(target: number | undefined): number {
  if (target === undefined) return round4(Math.random());
  if (typeof target !== 'number' || !Number.isFinite(target) || target < 0 || target > 1) {
    throw new ClientError(SERVICE, 'invalid', 'valuePercentileTarget must be a number from 0 to 1');
  }
  return round4(target);
}

function valueAt(def: { valueMin: number; valueMax: number }, percentile: number): number {
  return round4(def.valueMin + percentile * (def.valueMax - def.valueMin));
}

function requireInt(what: string, value: unknown, min: number, max: number): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw new ClientError(SERVICE, 'invalid', `${what} must be an integer from ${min} to ${max}`);
  }
  return value;
}

function requireStringList(what: string, value: unknown, maxItems: number): string[] {
  if (!Array.isArray(value) || value.length > maxItems) {
    throw new ClientError(SERVICE, 'invalid', `${what} must be a list of at most ${maxItems} strings`);
  }
  for (const v of value) requireNonEmpty(SERVICE, `each of ${what}`, v, 100);
  return [...new Set(value as string[])];
}

function requireFlags(input: AffixStateFlags): void {
  for (const flag of FLAGS) {
    if (input[flag] !== undefined && typeof input[flag] !== 'boolean') {
      throw new ClientError(SERVICE, 'invalid', `${flag} must be a boolean`);
    }
  }
}

/**
 * The affix service of record in standalone mode (tables stub_affix_definition,
 * stub_affix_item, stub_item_affix). Definitions never change once created. The stub does
 * not know item classes or levels: validItemClasses and minItemLevel are applied by
 * generatePool (and by the caller for a specific affix), not by apply.
 */
export class AffixStub implements AffixClient {
  private readonly calls: StubCalls;

  constructor(deps: StubDeps) {
    this.calls = new StubCalls(SERVICE, deps);
  }

  getItem(itemInstanceId: string): Promise<ItemAffixState> {
    return this.calls.call('getItem', async () => {
      requireNonEmpty(SERVICE, 'itemInstanceId', itemInstanceId, 36);
      return loadItem(this.calls.prisma, itemInstanceId);
    });
  }

  getDefinition(query: { definitionId: string } | { gameServiceId: string; code: string }): Promise<AffixDefinition | null> {
    return this.calls.call('getDefinition', async () => {
      const prisma = this.calls.prisma;
      const row =
        'definitionId' in query
          ? await prisma.stubAffixDefinition.findUnique({ where: { id: query.definitionId } })
          : await prisma.stubAffixDefinition.findUnique({
              where: { gameServiceId_code: { gameServiceId: query.gameServiceId, code: query.code } },
            });
      return row ? toDefinition(row) : null;
    });
  }

  generatePool(input: {
    gameServiceId: string;
    itemClass: string;
    itemLevel: number;
    slotType: string;
    weightModifiers?: Record<string, number>;
  }): Promise<AffixPoolEntry[]> {
    return this.calls.call('generatePool', async () => {
      requireNonEmpty(SERVICE, 'gameServiceId', input.gameServiceId, 36);
      requireNonEmpty(SERVICE, 'slotType', input.slotType, 50);
      if (typeof input.itemClass !== 'string') throw new ClientError(SERVICE, 'invalid', 'itemClass must be a string');
      if (typeof input.itemLevel !== 'number' || !Number.isFinite(input.itemLevel) || Math.abs(input.itemLevel) > 2 ** 31) {
        throw new ClientError(SERVICE, 'invalid', 'itemLevel must be a number (at most 2^31 in size)');
      }
      const modifiers = input.weightModifiers ?? {};
      for (const [id, factor] of Object.entries(modifiers)) {
        if (typeof factor !== 'number' || !Number.isFinite(factor) || factor < 0) {
          throw new ClientError(SERVICE, 'invalid', `weightModifiers["${id}"] must be a number >= 0`);
        }
      }
      const rows = await this.calls.prisma.stubAffixDefinition.findMany({
        where: {
          gameServiceId: input.gameServiceId,
          slotType: input.slotType,
          // An integer column: its floor keeps a fractional level comparable.
          minItemLevel: { lte: Math.floor(input.itemLevel) },
          weight: { gt: 0 },
        },
        orderBy: [{ code: 'asc' }],
      });
      const pool: AffixPoolEntry[] = [];
      for (const row of rows) {
        const def = toDefinition(row);
        const classes = def.validItemClasses ?? [];
        if (classes.length > 0 && !classes.includes(input.itemClass)) continue;
        const weight = def.weight * (modifiers[def.definitionId] ?? 1);
        if (!(weight > 0)) continue;
        pool.push({ definitionId: def.definitionId, code: def.code, tags: def.tags, slotType: def.slotType, tier: def.tier, weight });
      }
      return pool;
    });
  }

  apply(
    input: { itemInstanceId: string; definitionId: string; valuePercentileTarget?: number },
    idempotencyKey: string,
  ): Promise<ItemAffixState> {
    return this.calls.mutate('apply', idempotencyKey, async (tx) => {
      const percentile = percentileOf(input.valuePercentileTarget);
      requireNonEmpty(SERVICE, 'definitionId', input.definitionId, 36);
      const item = await lockItem(tx, input.itemInstanceId);
      const def = await tx.stubAffixDefinition.findUnique({ where: { id: input.definitionId } });
      if (!def) throw new ClientError(SERVICE, 'not_found', `affix definition ${input.definitionId} not found`);
      requireModifiable(item, `apply ${def.code}`);
      const affixes = await tx.stubItemAffix.findMany({ where: { itemInstanceId: item.itemInstanceId } });
      if (affixes.some((a) => a.definitionId === def.id)) {
        throw new ClientError(SERVICE, 'conflict', `item ${item.itemInstanceId} already has ${def.code}`);
      }
      if (isLimited(def.slotType)) {
        const limit = item[LIMITS[def.slotType]];
        if (affixes.filter((a) => a.slotType === def.slotType).length >= limit) {
          throw new ClientError(SERVICE, 'conflict', `item ${item.itemInstanceId} has no free ${def.slotType} slot (${limit} used)`);
        }
      }
      await tx.stubItemAffix.create({
        data: {
          itemInstanceId: item.itemInstanceId,
          definitionId: def.id,
          slotType: def.slotType,
          tier: def.tier,
          value: valueAt(def, percentile),
          valuePercentile: percentile,
          position: affixes.reduce((max, a) => Math.max(max, a.position), 0) + 1,
        },
      });
      return loadItem(tx, item.itemInstanceId);
    });
  }

  remove(input: { itemInstanceId: string; definitionId: string }, idempotencyKey: string): Promise<ItemAffixState> {
    return this.calls.mutate('remove', idempotencyKey, async (tx) => {
      requireNonEmpty(SERVICE, 'definitionId', input.definitionId, 36);
      const item = await lockItem(tx, input.itemInstanceId);
      requireModifiable(item, `remove ${input.definitionId}`);
      const where = { itemInstanceId_definitionId: { itemInstanceId: item.itemInstanceId, definitionId: input.definitionId } };
      const affix = await tx.stubItemAffix.findUnique({ where });
      if (!affix) throw new ClientError(SERVICE, 'conflict', `item ${item.itemInstanceId} has no affix ${input.definitionId}`);
      if (affix.isFractured) {
        throw new ClientError(SERVICE, 'conflict', `affix ${input.definitionId} of item ${item.itemInstanceId} is fractured`);
      }
      await tx.stubItemAffix.delete({ where });
      return loadItem(tx, item.itemInstanceId);
    });
  }

  rerollValues(input: { itemInstanceId: string; valuePercentileTarget?: number }, idempotencyKey: string): Promise<ItemAffixState> {
    return this.calls.mutate('rerollValues', idempotencyKey, async (tx) => {
      percentileOf(input.valuePercentileTarget); // validates
      const item = await lockItem(tx, input.itemInstanceId);
      requireModifiable(item, 'reroll values');
      const affixes = await tx.stubItemAffix.findMany({
        where: { itemInstanceId: item.itemInstanceId, isFractured: false },
        include: { definition: { select: { valueMin: true, valueMax: true } } },
      });
      for (const a of affixes) {
        const percentile = percentileOf(input.valuePercentileTarget);
        await tx.stubItemAffix.update({
          where: { itemInstanceId_definitionId: { itemInstanceId: a.itemInstanceId, definitionId: a.definitionId } },
          data: { valuePercentile: percentile, value: valueAt(a.definition, percentile) },
        });
      }
      return loadItem(tx, item.itemInstanceId);
    });
  }

  setState(
    input: { itemInstanceId: string; fractureDefinitionId?: string } & AffixStateFlags,
    idempotencyKey: string,
  ): Promise<ItemAffixState> {
    return this.calls.mutate('setState', idempotencyKey, async (tx) => {
      requireFlags(input);
      const item = await lockItem(tx, input.itemInstanceId);
      const changes: Partial<Record<(typeof FLAGS)[number], boolean>> = {};
      for (const flag of FLAGS) {
        if (input[flag] !== undefined && input[flag] !== item[flag]) changes[flag] = input[flag];
      }
      let fracture: string | null = null;
      if (input.fractureDefinitionId !== undefined) {
        if (input.isFractured === false) throw new ClientError(SERVICE, 'invalid', 'fractureDefinitionId contradicts isFractured: false');
        const affix = await tx.stubItemAffix.findUnique({
          where: { itemInstanceId_definitionId: { itemInstanceId: item.itemInstanceId, definitionId: input.fractureDefinitionId } },
        });
        if (!affix) throw new ClientError(SERVICE, 'conflict', `item ${item.itemInstanceId} has no affix ${input.fractureDefinitionId}`);
        if (!affix.isFractured) fracture = affix.definitionId;
        if (!item.isFractured) changes.isFractured = true;
      }
      const changed = Object.keys(changes).length > 0 || fracture !== null;
      if (!changed) return loadItem(tx, item.itemInstanceId);
      if (item.isMirrored) throw new ClientError(SERVICE, 'conflict', `item ${item.itemInstanceId} is mirrored`);
      const onlyIdentifies = fracture === null && Object.keys(changes).length === 1 && changes.isIdentified === true;
      if (item.isCorrupted && !onlyIdentifies) throw new ClientError(SERVICE, 'conflict', `item ${item.itemInstanceId} is corrupted`);
      await this.write(tx, item.itemInstanceId, changes, fracture);
      return loadItem(tx, item.itemInstanceId);
    });
  }

  createDefinition(input: {
    gameServiceId: string;
    code: string;
    slotType: string;
    tier: number;
    weight: number;
    valueMin: number;
    valueMax: number;
    tags?: string[];
    validItemClasses?: string[] | null;
    minItemLevel?: number;
  }): Promise<AffixDefinition> {
    return this.calls.call('createDefinition', async () => {
      requireNonEmpty(SERVICE, 'gameServiceId', input.gameServiceId, 36);
      requireNonEmpty(SERVICE, 'code', input.code, 200);
      requireNonEmpty(SERVICE, 'slotType', input.slotType, 50);
      const tier = requireInt('tier', input.tier, 1, 1000);
      const weight = requireInt('weight', input.weight, 0, 1_000_000_000);
      const minItemLevel = requireInt('minItemLevel', input.minItemLevel ?? 0, 0, 1_000_000);
      for (const [what, v] of [['valueMin', input.valueMin], ['valueMax', input.valueMax]] as const) {
        if (typeof v !== 'number' || !Number.isFinite(v) || Math.abs(v) > 1e12) {
          throw new ClientError(SERVICE, 'invalid', `${what} must be a finite number`);
        }
      }
      if (input.valueMax < input.valueMin) throw new ClientError(SERVICE, 'invalid', 'valueMax must be >= valueMin');
      const tags = requireStringList('tags', input.tags ?? [], 50);
      const classes = input.validItemClasses == null ? null : requireStringList('validItemClasses', input.validItemClasses, 200);
      try {
        const row = await this.calls.prisma.stubAffixDefinition.create({
          data: {
            id: randomUUID(),
            gameServiceId: input.gameServiceId,
            code: input.code,
            tags: JSON.stringify(tags),
            slotType: input.slotType,
            tier,
            weight,
            valueMin: input.valueMin,
            valueMax: input.valueMax,
            validItemClasses: classes === null ? null : JSON.stringify(classes),
            minItemLevel,
          },
        });
        return toDefinition(row);
      } catch (err) {
        if ((err as { code?: string }).code === 'P2002') {
          throw new ClientError(SERVICE, 'conflict', `affix definition "${input.code}" exists in this game service`);
        }
        throw err;
      }
    });
  }

  setItemState(
    input: { itemInstanceId: string; maxPrefixes?: number; maxSuffixes?: number } & AffixStateFlags,
    idempotencyKey: string,
  ): Promise<ItemAffixState> {
    return this.calls.mutate('setItemState', idempotencyKey, async (tx) => {
      requireFlags(input);
      const item = await lockItem(tx, input.itemInstanceId);
      const affixes = await tx.stubItemAffix.findMany({ where: { itemInstanceId: item.itemInstanceId }, select: { slotType: true } });
      const limits: { maxPrefixes?: number; maxSuffixes?: number } = {};
      for (const [slot, column] of Object.entries(LIMITS) as [LimitedSlot, (typeof LIMITS)[LimitedSlot]][]) {
        if (input[column] === undefined) continue;
        const limit = requireInt(column, input[column], 0, MAX_LIMIT);
        const used = affixes.filter((a) => a.slotType === slot).length;
        if (limit < used) throw new ClientError(SERVICE, 'invalid', `${column} ${limit} is below the ${used} ${slot} affixes on the item`);
        limits[column] = limit;
      }
      const changes: Partial<Record<(typeof FLAGS)[number], boolean>> = {};
      for (const flag of FLAGS) if (input[flag] !== undefined) changes[flag] = input[flag];
      await this.write(tx, item.itemInstanceId, { ...changes, ...limits }, null);
      return loadItem(tx, item.itemInstanceId);
    });
  }

  /** Writes item columns; un-fracturing the item also un-fractures its affixes. */
  private async write(
    tx: StubTx,
    itemInstanceId: string,
    data: Partial<Record<(typeof FLAGS)[number], boolean>> & { maxPrefixes?: number; maxSuffixes?: number },
    fractureDefinitionId: string | null,
  ): Promise<void> {
    await tx.stubAffixItem.update({ where: { itemInstanceId }, data });
    if (data.isFractured === false) {
      await tx.stubItemAffix.updateMany({ where: { itemInstanceId, isFractured: true }, data: { isFractured: false } });
    }
    if (fractureDefinitionId !== null) {
      await tx.stubItemAffix.update({
        where: { itemInstanceId_definitionId: { itemInstanceId, definitionId: fractureDefinitionId } },
        data: { isFractured: true },
      });
    }
  }
}
