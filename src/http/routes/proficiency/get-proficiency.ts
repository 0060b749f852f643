import type { Route } from '../../route-types.js';

export const getProficiency: Route<'getProficiency'> = ({ proficiency }) => async (body, { scope }) => ({
  proficiency: await proficiency.get(scope, body.gameServiceId, body, body.domain),
});
