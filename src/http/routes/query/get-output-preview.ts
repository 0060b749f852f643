import type { Route } from '../../route-types.js';

export const getOutputPreview: Route<'getOutputPreview'> = ({ queries }) => (body, { scope }) => queries.outputPreview(scope, body.recipeId);
