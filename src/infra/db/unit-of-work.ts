import type { Prisma, PrismaClient } from '../../generated/prisma/client.js';
import type { Tx, UnitOfWork } from '../../services/ports.js';

export type TxClient = Prisma.TransactionClient;

/** The opaque transaction handle services pass around is a Prisma transaction client. */
export function txClient(tx: Tx): TxClient {
  return tx as unknown as TxClient;
}

const MAX_ATTEMPTS = 5;

/** InnoDB deadlocks (1213) and lock-wait timeouts (1205) are safe to retry as a whole. */
export function isRetryableTxError(err: unknown): boolean {
  const e = err as { code?: string; message?: string; meta?: { code?: string } } | null;
  if (!e) return false;
  if (e.code === 'P2034') return true;
  const text = `${e.message ?? ''} ${e.meta?.code ?? ''}`;
  return /\b(1213|1205)\b|deadlock|lock wait timeout/i.test(text);
}

export class PrismaUnitOfWork implements UnitOfWork {
  constructor(private readonly prisma: PrismaClient) {}

  async run<T>(fn: (tx: Tx) => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.prisma.$transaction((tx) => fn(tx as unknown as Tx), {
          maxWait: 5000,
          timeout: 15000,
        });
      } catch (err) {
        if (attempt >= MAX_ATTEMPTS || !isRetryableTxError(err)) throw err;
        await new Promise((r) => setTimeout(r, 5 * attempt + Math.random() * 20));
      }
    }
  }
}
