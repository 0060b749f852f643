import type { Route } from '../../route-types.js';

export const setAffixItemState: Route<'setAffixItemState'> = ({ standalone }) => async (body) => ({
  item: await standalone.setAffixItemState(body),
});
