import type { Route } from '../../route-types.js';

export const getAffixItem: Route<'getAffixItem'> = ({ standalone }) => async (body) => ({
  item: await standalone.getAffixItem(body.itemInstanceId),
});
