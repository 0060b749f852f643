import type { Route } from '../../route-types.js';

export const getWallet: Route<'getWallet'> = ({ standalone }) => async (body, { scope }) => ({ wallet: await standalone.getWallet(scope, body) });
