import type { Route } from '../../route-types.js';

export const teachRecipe: Route<'teachRecipe'> = ({ discovery }) => (body, { scope }) => discovery.teach(scope, body);
