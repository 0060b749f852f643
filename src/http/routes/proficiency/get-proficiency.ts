import type { Route } from '../../route-types.js';

export const getProficiency: Route<'getProficiency'> = ({ proficiency }) => async (body) => ({
  proficiency: await proficiency.get(body.gameServiceId, body, body.domain),
});
