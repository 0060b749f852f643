import { randomUUID } from 'node:crypto';
import type { PrismaClient, StubCurrencyHold, StubWallet } from '../../generated/prisma/client.js';
import type { CurrencyClient, CurrencyHold, HoldStatus, Wallet } from '../currency-client.js';
import { ClientError } from '../errors.js';
import { formatUnits, num, requireNonEmpty, StubCalls, toDecimalString, units, type StubDeps, type StubTx } from './stub-calls.js';

const SERVICE = 'currency';
type Db = PrismaClient | StubTx;

function toHold(h: StubCurrencyHold): CurrencyHold {
  return {
    holdId: h.id,
    walletId: h.walletId,
    currencyCode: h.currencyCode,
    amount: num(h.amount),
    capturedAmount: h.capturedAmount === null ? null : num(h.capturedAmount),
    status: h.status as HoldStatus,
    expiresAt: h.expiresAt.toISOString(),
  };
}

/** Creates the owner's wallet in the game service unless it exists (safe under concurrency), then returns it. */
async function ensureWallet(db: Db, ownerId: string, ownerType: string, gameServiceId: string): Promise<StubWallet> {
  requireNonEmpty(SERVICE, 'ownerId', ownerId, 100);
  requireNonEmpty(SERVICE, 'ownerType', ownerType, 100);
  requireNonEmpty(SERVICE, 'gameServiceId', gameServiceId, 36);
  const where = { ownerId_ownerType_gameServiceId: { ownerId, ownerType, gameServiceId } };
  const existing = await db.stubWallet.findUnique({ where });
  if (existing) return existing;
  // INSERT IGNORE waits for a concurrent creator and then yields to it: no duplicate-key error.
  await db.$executeRaw`INSERT IGNORE INTO stub_wallet (id, ownerId, ownerType, gameServiceId)
    VALUES (${randomUUID()}, ${ownerId}, ${ownerType}, ${gameServiceId})`;
  const row = await db.stubWallet.findUnique({ where });
  if (!row) throw new ClientError(SERVICE, 'unavailable', `wallet of ${ownerType} ${ownerId} could not be created`);
  return row;
}

/**
 * Locks a wallet of the game service for the rest of the transaction: every balance and hold
 * change of a wallet happens under it. Another game service's wallet is `not_found`.
 */
async function lockWallet(tx: StubTx, walletId: string, gameServiceId: string): Promise<void> {
  const rows = await tx.$queryRaw<{ id: string }[]>`
    SELECT id FROM stub_wallet WHERE id = ${walletId} AND gameServiceId = ${gameServiceId} FOR UPDATE`;
  if (rows.length === 0) throw new ClientError(SERVICE, 'not_found', `wallet ${walletId} not found`);
}

/** Sum of the active holds (Held, not expired) per currency, in 1/10000 units. */
async function heldUnits(db: Db, walletId: string, now: Date, currencyCode?: string): Promise<Map<string, bigint>> {
  const sums = await db.stubCurrencyHold.groupBy({
    by: ['currencyCode'],
    where: { walletId, status: 'Held', expiresAt: { gt: now }, ...(currencyCode !== undefined && { currencyCode }) },
    _sum: { amount: true },
  });
  return new Map(sums.map((s) => [s.currencyCode, s._sum.amount ? units(s._sum.amount) : 0n]));
}

async function loadWallet(db: Db, wallet: StubWallet): Promise<Wallet> {
  const now = new Date();
  const balances = await db.stubWalletBalance.findMany({ where: { walletId: wallet.id }, orderBy: { currencyCode: 'asc' } });
  const held = await heldUnits(db, wallet.id, now);
  return {
    walletId: wallet.id,
    ownerId: wallet.ownerId,
    ownerType: wallet.ownerType,
    gameServiceId: wallet.gameServiceId,
    balances: balances.map((b) => {
      const amount = units(b.amount);
      const h = held.get(b.currencyCode) ?? 0n;
      return {
        currencyCode: b.currencyCode,
        amount: Number(formatUnits(amount)),
        held: Number(formatUnits(h)),
        available: Number(formatUnits(amount - h)),
      };
    }),
  };
}

/**
 * The currency service of record in standalone mode (tables stub_wallet,
 * stub_wallet_balance, stub_currency_hold). available = balance - active holds; every change
 * to a wallet's balances or holds runs under a lock on the wallet row, so concurrent holds
 * never overdraw.
 */
export class CurrencyStub implements CurrencyClient {
  private readonly calls: StubCalls;

  constructor(deps: StubDeps) {
    this.calls = new StubCalls(SERVICE, deps);
  }

  getOrCreateWallet(input: { ownerId: string; ownerType: string; gameServiceId: string }): Promise<Wallet> {
    return this.calls.call('getOrCreateWallet', async () => {
      const prisma = this.calls.prisma;
      return loadWallet(prisma, await ensureWallet(prisma, input.ownerId, input.ownerType, input.gameServiceId));
    });
  }

  getWallet(query: { gameServiceId: string } & ({ walletId: string } | { ownerId: string; ownerType: string })): Promise<Wallet | null> {
    return this.calls.call('getWallet', async () => {
      const prisma = this.calls.prisma;
      const gameServiceId = query.gameServiceId;
      const row =
        'walletId' in query
          ? await prisma.stubWallet.findFirst({ where: { id: query.walletId, gameServiceId } })
          : await prisma.stubWallet.findUnique({
              where: { ownerId_ownerType_gameServiceId: { ownerId: query.ownerId, ownerType: query.ownerType, gameServiceId } },
            });
      return row ? loadWallet(prisma, row) : null;
    });
  }

  credit(
    input: { gameServiceId: string; walletId?: string; ownerId?: string; ownerType?: string; currencyCode: string; amount: number },
    idempotencyKey: string,
  ): Promise<Wallet> {
    return this.calls.mutate('credit', idempotencyKey, async (tx) => {
      const amount = toDecimalString(SERVICE, 'amount', input.amount);
      requireNonEmpty(SERVICE, 'currencyCode', input.currencyCode, 50);
      requireNonEmpty(SERVICE, 'gameServiceId', input.gameServiceId, 36);
      let walletId = input.walletId;
      if (walletId === undefined) {
        if (input.ownerId === undefined || input.ownerType === undefined) {
          throw new ClientError(SERVICE, 'invalid', 'credit needs walletId, or ownerId and ownerType');
        }
        walletId = (await ensureWallet(tx, input.ownerId, input.ownerType, input.gameServiceId)).id;
      }
      await lockWallet(tx, walletId, input.gameServiceId);
      await tx.$executeRaw`INSERT INTO stub_wallet_balance (walletId, currencyCode, amount)
        VALUES (${walletId}, ${input.currencyCode}, ${amount})
        ON DUPLICATE KEY UPDATE amount = amount + VALUES(amount)`;
      const wallet = await tx.stubWallet.findUniqueOrThrow({ where: { id: walletId } });
      return loadWallet(tx, wallet);
    });
  }

  createHold(
    input: { walletId: string; gameServiceId: string; currencyCode: string; amount: number; expiresAt: string },
    idempotencyKey: string,
  ): Promise<CurrencyHold> {
    return this.calls.mutate('createHold', idempotencyKey, async (tx) => {
      const amount = toDecimalString(SERVICE, 'amount', input.amount);
      requireNonEmpty(SERVICE, 'currencyCode', input.currencyCode, 50);
      const expiresAt = new Date(input.expiresAt);
      const now = new Date();
      // A past expiresAt is accepted (the hold then reserves nothing): recovery code may
      // repeat a start's createHold long after the session ended, to learn its hold id.
      if (Number.isNaN(expiresAt.getTime())) throw new ClientError(SERVICE, 'invalid', 'expiresAt must be an ISO 8601 time');

      await lockWallet(tx, input.walletId, input.gameServiceId);
      const balance = await tx.stubWalletBalance.findUnique({
        where: { walletId_currencyCode: { walletId: input.walletId, currencyCode: input.currencyCode } },
      });
      const held = (await heldUnits(tx, input.walletId, now, input.currencyCode)).get(input.currencyCode) ?? 0n;
      const available = (balance ? units(balance.amount) : 0n) - held;
      if (available < units(amount)) {
        throw new ClientError(
          SERVICE,
          'insufficient_funds',
          `wallet ${input.walletId} has ${formatUnits(available)} ${input.currencyCode} available, ${amount} needed`,
        );
      }
      const hold = await tx.stubCurrencyHold.create({
        data: {
          id: randomUUID(),
          walletId: input.walletId,
          currencyCode: input.currencyCode,
          amount,
          status: 'Held',
          expiresAt,
        },
      });
      return toHold(hold);
    });
  }

  getHold(holdId: string, gameServiceId: string): Promise<CurrencyHold | null> {
    return this.calls.call('getHold', async () => {
      const prisma = this.calls.prisma;
      const row = await prisma.stubCurrencyHold.findUnique({ where: { id: holdId } });
      if (!row) return null;
      const wallet = await prisma.stubWallet.findFirst({ where: { id: row.walletId, gameServiceId }, select: { id: true } });
      return wallet ? toHold(row) : null;
    });
  }

  captureHold(input: { holdId: string; gameServiceId: string; captureAmount: number }, idempotencyKey: string): Promise<CurrencyHold> {
    return this.calls.mutate('captureHold', idempotencyKey, async (tx) => {
      const capture = toDecimalString(SERVICE, 'captureAmount', input.captureAmount, { allowZero: true });
      const hold = await this.lockHold(tx, input.holdId, input.gameServiceId);
      if (hold.status === 'Captured') {
        if (hold.capturedAmount !== null && units(hold.capturedAmount) === units(capture)) return toHold(hold);
        throw new ClientError(SERVICE, 'conflict', `hold ${hold.id} was already captured for ${hold.capturedAmount?.toString()}`);
      }
      if (hold.status === 'Released') throw new ClientError(SERVICE, 'conflict', `hold ${hold.id} was released`);
      if (hold.expiresAt <= new Date()) throw new ClientError(SERVICE, 'conflict', `hold ${hold.id} has expired`);
      if (units(capture) > units(hold.amount)) {
        throw new ClientError(SERVICE, 'invalid', `cannot capture ${capture}: hold ${hold.id} is for ${hold.amount.toString()}`);
      }
      const balance = await tx.stubWalletBalance.findUnique({
        where: { walletId_currencyCode: { walletId: hold.walletId, currencyCode: hold.currencyCode } },
      });
      if (!balance || units(balance.amount) < units(capture)) {
        // Cannot happen while holds are only created against available funds; refuse rather than overdraw.
        throw new ClientError(SERVICE, 'conflict', `wallet ${hold.walletId} balance is below the captured amount`);
      }
      await tx.stubWalletBalance.update({
        where: { walletId_currencyCode: { walletId: hold.walletId, currencyCode: hold.currencyCode } },
        data: { amount: formatUnits(units(balance.amount) - units(capture)) },
      });
      return toHold(
        await tx.stubCurrencyHold.update({ where: { id: hold.id }, data: { status: 'Captured', capturedAmount: capture } }),
      );
    });
  }

  releaseHold(input: { holdId: string; gameServiceId: string }, idempotencyKey: string): Promise<CurrencyHold> {
    return this.calls.mutate('releaseHold', idempotencyKey, async (tx) => {
      const hold = await this.lockHold(tx, input.holdId, input.gameServiceId);
      if (hold.status === 'Released') return toHold(hold);
      if (hold.status === 'Captured') throw new ClientError(SERVICE, 'conflict', `hold ${hold.id} was captured`);
      return toHold(await tx.stubCurrencyHold.update({ where: { id: hold.id }, data: { status: 'Released' } }));
    });
  }

  /** Locks the hold's wallet, then returns the hold's current row (same lock order as createHold). */
  private async lockHold(tx: StubTx, holdId: string, gameServiceId: string): Promise<StubCurrencyHold> {
    const first = await tx.stubCurrencyHold.findUnique({ where: { id: holdId }, select: { walletId: true } });
    if (!first) throw new ClientError(SERVICE, 'not_found', `hold ${holdId} not found`);
    await lockWallet(tx, first.walletId, gameServiceId).catch((err: unknown) => {
      throw err instanceof ClientError ? new ClientError(SERVICE, 'not_found', `hold ${holdId} not found`) : err;
    });
    const hold = await tx.stubCurrencyHold.findUnique({ where: { id: holdId } });
    if (!hold) throw new ClientError(SERVICE, 'not_found', `hold ${holdId} not found`);
    return hold;
  }
}
