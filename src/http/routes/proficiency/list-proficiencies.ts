import type { Route } from '../../route-types.js';

export const listProficiencies: Route<'listProficiencies'> = ({ proficiency }) => async (body) => ({
  proficiencies: await proficiency.list(body.gameServiceId, body),
});
