import type { Route } from '../../route-types.js';

export const setProficiency: Route<'setProficiency'> = ({ proficiency }) => async (body) => ({
  proficiency: await proficiency.set(body.gameServiceId, body, body.domain, body.targetValue),
});
