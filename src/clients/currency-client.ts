/** currency: wallets and authorisation holds. A short wallet answers `insufficient_funds` (422). */
export interface Wallet {
  walletId: string;
  ownerId: string;
  ownerType: string;
  balances: { currencyCode: string; amount: number }[];
}

export interface CurrencyHold {
  holdId: string;
  walletId: string;
  currencyCode: string;
  amount: number;
  status: 'Held' | 'Captured' | 'Released';
  expiresAt: string;
}

export interface CurrencyClient {
  getOrCreateWallet(input: { ownerId: string; ownerType: string }): Promise<Wallet>;
  createHold(
    input: { walletId: string; currencyCode: string; amount: number; expiresAt: string },
    idempotencyKey: string,
  ): Promise<CurrencyHold>;
  captureHold(input: { holdId: string; captureAmount: number }, idempotencyKey: string): Promise<void>;
  releaseHold(input: { holdId: string }, idempotencyKey: string): Promise<void>;
}
