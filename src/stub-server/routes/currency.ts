import type { StubServices } from '../../clients/stubs/index.js';
import { ClientError } from '../../clients/errors.js';
import { call, found, id, isoTime, keyed, num, text, type Handlers } from '../wire-route.js';

export function currencyRoutes(s: StubServices): Handlers<'currency'> {
  const currency = s.currency;
  return {
    getOrCreateWallet: call({ ownerId: text, ownerType: text, gameServiceId: id }, (input) => currency.getOrCreateWallet(input)),
    getWallet: call({ gameServiceId: id, walletId: id.optional(), ownerId: text.optional(), ownerType: text.optional() }, async (q) => {
      const { gameServiceId, walletId, ownerId, ownerType } = q;
      let query: Parameters<typeof currency.getWallet>[0];
      if (walletId !== undefined) query = { gameServiceId, walletId };
      else if (ownerId !== undefined && ownerType !== undefined) query = { gameServiceId, ownerId, ownerType };
      else throw new ClientError('currency', 'invalid', 'getWallet needs walletId, or ownerId and ownerType');
      return found('currency', 'wallet', await currency.getWallet(query));
    }),
    credit: keyed(
      { gameServiceId: id, walletId: id.optional(), ownerId: text.optional(), ownerType: text.optional(), currencyCode: text, amount: num },
      (input, key) => currency.credit(input, key),
    ),
    createHold: keyed({ walletId: id, gameServiceId: id, currencyCode: text, amount: num, expiresAt: isoTime }, (input, key) =>
      currency.createHold(input, key),
    ),
    getHold: call({ holdId: id, gameServiceId: id }, async ({ holdId, gameServiceId }) =>
      found('currency', `hold ${holdId}`, await currency.getHold(holdId, gameServiceId)),
    ),
    captureHold: keyed({ holdId: id, gameServiceId: id, captureAmount: num }, (input, key) => currency.captureHold(input, key)),
    releaseHold: keyed({ holdId: id, gameServiceId: id }, (input, key) => currency.releaseHold(input, key)),
  };
}
