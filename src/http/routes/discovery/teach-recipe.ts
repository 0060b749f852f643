import type { Route } from '../../route-types.js';

export const teachRecipe: Route<'teachRecipe'> = ({ discovery }) => (body) => discovery.teach(body);
