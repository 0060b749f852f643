import type { CurrencyClient, CurrencyHold, Wallet } from '../currency-client.js';
import type { HttpTransport } from './transport.js';
import { WIRE } from './wire.js';

const P = WIRE.currency;
const keyed = { retryable: true };
const lookup = { retryable: true, nullOn404: true };

/** The currency service over HTTP (wallets and authorisation holds). */
export class CurrencyHttpClient implements CurrencyClient {
  constructor(private readonly t: HttpTransport) {}

  /** Get-or-create is idempotent by nature: the same owner always gets the same wallet. */
  getOrCreateWallet(input: { ownerId: string; ownerType: string; gameServiceId: string }) {
    return this.t.call<Wallet>(P.getOrCreateWallet, input, { retryable: true });
  }

  getWallet(query: { gameServiceId: string } & ({ walletId: string } | { ownerId: string; ownerType: string })) {
    return this.t.call<Wallet | null>(P.getWallet, query, lookup);
  }

  credit(
    input: { gameServiceId: string; walletId?: string; ownerId?: string; ownerType?: string; currencyCode: string; amount: number },
    idempotencyKey: string,
  ) {
    return this.t.call<Wallet>(P.credit, { ...input, idempotencyKey }, keyed);
  }

  createHold(input: { walletId: string; gameServiceId: string; currencyCode: string; amount: number; expiresAt: string }, idempotencyKey: string) {
    return this.t.call<CurrencyHold>(P.createHold, { ...input, idempotencyKey }, keyed);
  }

  getHold(holdId: string, gameServiceId: string) {
    return this.t.call<CurrencyHold | null>(P.getHold, { holdId, gameServiceId }, lookup);
  }

  captureHold(input: { holdId: string; gameServiceId: string; captureAmount: number }, idempotencyKey: string) {
    return this.t.call<CurrencyHold>(P.captureHold, { ...input, idempotencyKey }, keyed);
  }

  releaseHold(input: { holdId: string; gameServiceId: string }, idempotencyKey: string) {
    return this.t.call<CurrencyHold>(P.releaseHold, { ...input, idempotencyKey }, keyed);
  }
}
