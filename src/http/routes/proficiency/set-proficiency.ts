import type { Route } from '../../route-types.js';

export const setProficiency: Route<'setProficiency'> = ({ proficiency }) => async (body, { scope }) => ({
  proficiency: await proficiency.set(scope, body.gameServiceId, body, body.domain, body.targetValue),
});
