import type { Route } from '../../route-types.js';

export const listProficiencies: Route<'listProficiencies'> = ({ proficiency }) => async (body, { scope }) => ({
  proficiencies: await proficiency.list(scope, body.gameServiceId, body),
});
