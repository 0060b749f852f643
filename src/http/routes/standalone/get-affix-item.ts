import type { Route } from '../../route-types.js';

export const getAffixItem: Route<'getAffixItem'> = ({ standalone }) => async (body, { scope }) => ({
  item: await standalone.getAffixItem(scope, body),
});
