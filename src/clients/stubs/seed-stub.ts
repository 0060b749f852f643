import { randomUUID } from 'node:crypto';
import type { PrismaClient, StubSeed, StubSeedType } from '../../generated/prisma/client.js';
import { ClientError } from '../errors.js';
import type { SeedClient, SeedInfo, SeedPhase, SeedPhaseInfo, SeedType } from '../seed-client.js';
import { num, parseJson, requireNonEmpty, StubCalls, toDecimalString, type StubDeps, type StubTx } from './stub-calls.js';

const SERVICE = 'seed';
type Db = PrismaClient | StubTx;
const MAX_PHASES = 50;

/** Every operation of the seed stub, as fault injection names them (arm them all to make the service unavailable). */
export const SEED_OPS = ['seed.registerType', 'seed.create', 'seed.getByOwner', 'seed.recordGrowth', 'seed.getPhase'] as const;

function validPhases(phases: unknown): SeedPhase[] {
  if (!Array.isArray(phases) || phases.length === 0 || phases.length > MAX_PHASES) {
    throw new ClientError(SERVICE, 'invalid', `phases must be a list of 1-${MAX_PHASES} phases`);
  }
  const out: SeedPhase[] = [];
  for (const p of phases as { name?: unknown; threshold?: unknown }[]) {
    const name = requireNonEmpty(SERVICE, 'phase name', p?.name, 100);
    const threshold = p?.threshold;
    if (typeof threshold !== 'number' || !Number.isFinite(threshold) || threshold < 0 || threshold >= 1e15) {
      throw new ClientError(SERVICE, 'invalid', `threshold of phase "${name}" must be a number >= 0`);
    }
    out.push({ name, threshold });
  }
  if (new Set(out.map((p) => p.name)).size !== out.length) throw new ClientError(SERVICE, 'invalid', 'phase names must be unique');
  if (new Set(out.map((p) => p.threshold)).size !== out.length) throw new ClientError(SERVICE, 'invalid', 'phase thresholds must be unique');
  return out.sort((a, b) => a.threshold - b.threshold);
}

/** The phase at `growth` (the first phase below every threshold), and the next one. */
function phaseAt(phases: SeedPhase[], growth: number): { index: number; phase: SeedPhase; next: SeedPhase | null } {
  let index = 0;
  for (let i = 0; i < phases.length; i++) if (phases[i]!.threshold <= growth) index = i;
  return { index, phase: phases[index]!, next: phases[index + 1] ?? null };
}

function toType(r: StubSeedType): SeedType {
  return { gameServiceId: r.gameServiceId, code: r.code, phases: parseJson<SeedPhase[]>(r.phases, []) };
}

async function typeOf(db: Db, gameServiceId: string, code: string): Promise<SeedType> {
  const row = await db.stubSeedType.findUnique({ where: { gameServiceId_code: { gameServiceId, code } } });
  if (!row) throw new ClientError(SERVICE, 'not_found', `seed type "${code}" is not registered in game service ${gameServiceId}`);
  return toType(row);
}

function toInfo(seed: StubSeed, type: SeedType): SeedInfo {
  const totalGrowth = num(seed.totalGrowth);
  return {
    seedId: seed.id,
    ownerId: seed.ownerId,
    ownerType: seed.ownerType,
    gameServiceId: seed.gameServiceId,
    seedTypeCode: seed.seedTypeCode,
    totalGrowth,
    phase: phaseAt(type.phases, totalGrowth).phase.name,
  };
}

/**
 * The seed service of record in standalone mode (tables stub_seed_type and stub_seed).
 * Growth only grows: recordGrowth adds under a lock on the seed row.
 */
export class SeedStub implements SeedClient {
  private readonly calls: StubCalls;

  constructor(deps: StubDeps) {
    this.calls = new StubCalls(SERVICE, deps);
  }

  registerType(input: { gameServiceId: string; code: string; phases: SeedPhase[] }): Promise<SeedType> {
    return this.calls.call('registerType', async () => {
      requireNonEmpty(SERVICE, 'gameServiceId', input.gameServiceId, 36);
      requireNonEmpty(SERVICE, 'code', input.code, 200);
      const phases = JSON.stringify(validPhases(input.phases));
      const prisma = this.calls.prisma;
      // One statement: concurrent registrations of the same type neither duplicate nor fail.
      await prisma.$executeRaw`INSERT INTO stub_seed_type (id, gameServiceId, code, phases, updatedAt)
        VALUES (${randomUUID()}, ${input.gameServiceId}, ${input.code}, ${phases}, ${new Date()})
        ON DUPLICATE KEY UPDATE phases = VALUES(phases), updatedAt = VALUES(updatedAt)`;
      return typeOf(prisma, input.gameServiceId, input.code);
    });
  }

  create(
    input: { ownerId: string; ownerType: string; gameServiceId: string; seedTypeCode: string },
    idempotencyKey: string,
  ): Promise<SeedInfo> {
    return this.calls.mutate('create', idempotencyKey, async (tx) => {
      requireNonEmpty(SERVICE, 'ownerId', input.ownerId, 100);
      requireNonEmpty(SERVICE, 'ownerType', input.ownerType, 100);
      requireNonEmpty(SERVICE, 'gameServiceId', input.gameServiceId, 36);
      requireNonEmpty(SERVICE, 'seedTypeCode', input.seedTypeCode, 200);
      const type = await typeOf(tx, input.gameServiceId, input.seedTypeCode);
      const id = randomUUID();
      // INSERT IGNORE waits for a concurrent creator of the same seed and then yields to it.
      const inserted = await tx.$executeRaw`INSERT IGNORE INTO stub_seed
        (id, ownerId, ownerType, seedTypeCode, gameServiceId, totalGrowth, updatedAt)
        VALUES (${id}, ${input.ownerId}, ${input.ownerType}, ${input.seedTypeCode}, ${input.gameServiceId}, ${'0.0000'}, ${new Date()})`;
      if (inserted === 0) {
        throw new ClientError(SERVICE, 'conflict', `${input.ownerType} ${input.ownerId} already has a "${input.seedTypeCode}" seed`);
      }
      return toInfo(await tx.stubSeed.findUniqueOrThrow({ where: { id } }), type);
    });
  }

  getByOwner(input: { ownerId: string; ownerType: string; seedTypeCode?: string; gameServiceId?: string }): Promise<SeedInfo[]> {
    return this.calls.call('getByOwner', async () => {
      const prisma = this.calls.prisma;
      const seeds = await prisma.stubSeed.findMany({
        where: {
          ownerId: input.ownerId,
          ownerType: input.ownerType,
          ...(input.seedTypeCode !== undefined && { seedTypeCode: input.seedTypeCode }),
          ...(input.gameServiceId !== undefined && { gameServiceId: input.gameServiceId }),
        },
        orderBy: [{ seedTypeCode: 'asc' }, { gameServiceId: 'asc' }],
      });
      const types = new Map<string, SeedType>();
      const out: SeedInfo[] = [];
      for (const seed of seeds) {
        const k = `${seed.gameServiceId}\u0000${seed.seedTypeCode}`;
        let type = types.get(k);
        if (!type) types.set(k, (type = await typeOf(prisma, seed.gameServiceId, seed.seedTypeCode)));
        out.push(toInfo(seed, type));
      }
      return out;
    });
  }

  recordGrowth(
    input: { seedId: string; domain: string; amount: number; source: string },
    idempotencyKey: string,
  ): Promise<SeedInfo & { previousPhase: string }> {
    return this.calls.mutate('recordGrowth', idempotencyKey, async (tx) => {
      const amount = toDecimalString(SERVICE, 'amount', input.amount);
      requireNonEmpty(SERVICE, 'seedId', input.seedId, 36);
      requireNonEmpty(SERVICE, 'domain', input.domain, 100);
      requireNonEmpty(SERVICE, 'source', input.source, 200);
      const locked = await tx.$queryRaw<{ id: string }[]>`SELECT id FROM stub_seed WHERE id = ${input.seedId} FOR UPDATE`;
      if (locked.length === 0) throw new ClientError(SERVICE, 'not_found', `seed ${input.seedId} not found`);
      const before = await tx.stubSeed.findUniqueOrThrow({ where: { id: input.seedId } });
      const type = await typeOf(tx, before.gameServiceId, before.seedTypeCode);
      await tx.$executeRaw`UPDATE stub_seed SET totalGrowth = totalGrowth + CAST(${amount} AS DECIMAL(20,4)), updatedAt = ${new Date()} WHERE id = ${input.seedId}`;
      const after = await tx.stubSeed.findUniqueOrThrow({ where: { id: input.seedId } });
      return { ...toInfo(after, type), previousPhase: toInfo(before, type).phase };
    });
  }

  getPhase(seedId: string): Promise<SeedPhaseInfo> {
    return this.calls.call('getPhase', async () => {
      const prisma = this.calls.prisma;
      const seed = await prisma.stubSeed.findUnique({ where: { id: seedId } });
      if (!seed) throw new ClientError(SERVICE, 'not_found', `seed ${seedId} not found`);
      const type = await typeOf(prisma, seed.gameServiceId, seed.seedTypeCode);
      const totalGrowth = num(seed.totalGrowth);
      const at = phaseAt(type.phases, totalGrowth);
      return { phase: at.phase.name, totalGrowth, nextPhase: at.next?.name ?? null, nextThreshold: at.next?.threshold ?? null };
    });
  }
}
