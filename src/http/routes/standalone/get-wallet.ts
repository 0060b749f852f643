import type { Route } from '../../route-types.js';

export const getWallet: Route<'getWallet'> = ({ standalone }) => async (body) => ({ wallet: await standalone.getWallet(body) });
