import type { Route } from '../../route-types.js';

export const creditWallet: Route<'creditWallet'> = ({ standalone }) => async (body, { scope }) => ({
  wallet: await standalone.creditWallet(scope, body),
});
