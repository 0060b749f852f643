/** currency: wallets and authorisation holds. A short wallet answers `insufficient_funds` (422). */
export interface WalletBalance {
  currencyCode: string;
  /** Total balance, including the held part. */
  amount: number;
  /** Part of `amount` reserved by active holds (status Held, not expired). */
  held: number;
  /** `amount - held`. */
  available: number;
}

/** A wallet is an owner's in one game service: another game service's wallet is unknown. */
export interface Wallet {
  walletId: string;
  ownerId: string;
  ownerType: string;
  gameServiceId: string;
  /** Sorted by currency code. */
  balances: WalletBalance[];
}

export type HoldStatus = 'Held' | 'Captured' | 'Released';

export interface CurrencyHold {
  holdId: string;
  walletId: string;
  currencyCode: string;
  amount: number;
  /** Set once captured. */
  capturedAmount: number | null;
  status: HoldStatus;
  /** ISO 8601. A Held hold past it no longer reserves funds and cannot be captured. */
  expiresAt: string;
}

/** Every call names the game service it acts in; wallets and holds of another one are unknown. */
export interface CurrencyClient {
  getOrCreateWallet(input: { ownerId: string; ownerType: string; gameServiceId: string }): Promise<Wallet>;
  /** Null when there is no such wallet in the game service. */
  getWallet(query: { gameServiceId: string } & ({ walletId: string } | { ownerId: string; ownerType: string })): Promise<Wallet | null>;
  /**
   * Admin / standalone dev endpoints: adds to a balance, creating the wallet (by owner) and
   * the balance when missing. Returns the wallet after the credit.
   */
  credit(
    input: { gameServiceId: string; walletId?: string; ownerId?: string; ownerType?: string; currencyCode: string; amount: number },
    idempotencyKey: string,
  ): Promise<Wallet>;
  /** `insufficient_funds` when available < amount; `not_found` for an unknown wallet (or one of another game service). */
  createHold(
    input: { walletId: string; gameServiceId: string; currencyCode: string; amount: number; expiresAt: string },
    idempotencyKey: string,
  ): Promise<CurrencyHold>;
  getHold(holdId: string, gameServiceId: string): Promise<CurrencyHold | null>;
  /**
   * Deducts `captureAmount` (<= the held amount, else `invalid`) from the balance and marks
   * the hold Captured; the rest of the hold is freed. Capturing a Captured hold again is a
   * no-op; a Released or expired one is `conflict`.
   */
  captureHold(input: { holdId: string; gameServiceId: string; captureAmount: number }, idempotencyKey: string): Promise<CurrencyHold>;
  /** Frees the hold. Releasing a Released hold is a no-op; a Captured one is `conflict`. */
  releaseHold(input: { holdId: string; gameServiceId: string }, idempotencyKey: string): Promise<CurrencyHold>;
}
