import type { Route } from '../../route-types.js';

export const getOutputPreview: Route<'getOutputPreview'> = ({ queries }) => (body) => queries.outputPreview(body.recipeId);
