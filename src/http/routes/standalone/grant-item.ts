import type { Route } from '../../route-types.js';

export const grantItem: Route<'grantItem'> = ({ standalone }) => async (body) => ({ item: await standalone.grantItem(body) });
