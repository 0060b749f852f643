import type { Route } from '../../route-types.js';

export const setAffixItemState: Route<'setAffixItemState'> = ({ standalone }) => async (body, { scope }) => ({
  item: await standalone.setAffixItemState(scope, body),
});
