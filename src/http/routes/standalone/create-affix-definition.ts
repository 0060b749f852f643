import type { Route } from '../../route-types.js';

export const createAffixDefinition: Route<'createAffixDefinition'> = ({ standalone }) => async (body, { scope }) => ({
  definition: await standalone.createAffixDefinition(scope, body),
});
