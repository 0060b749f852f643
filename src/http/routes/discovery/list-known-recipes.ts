import type { Route } from '../../route-types.js';

export const listKnownRecipes: Route<'listKnownRecipes'> = ({ discovery }) => (body) => discovery.listKnown(body);
