import type { Route } from '../../route-types.js';

export const grantItem: Route<'grantItem'> = ({ standalone }) => async (body, { scope }) => ({ item: await standalone.grantItem(scope, body) });
