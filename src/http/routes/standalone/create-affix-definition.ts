import type { Route } from '../../route-types.js';

export const createAffixDefinition: Route<'createAffixDefinition'> = ({ standalone }) => async (body) => ({
  definition: await standalone.createAffixDefinition(body),
});
