import type { Route } from '../../route-types.js';

export const creditWallet: Route<'creditWallet'> = ({ standalone }) => async (body) => ({
  wallet: await standalone.creditWallet(body),
});
