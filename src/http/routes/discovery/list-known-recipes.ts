import type { Route } from '../../route-types.js';

export const listKnownRecipes: Route<'listKnownRecipes'> = ({ discovery }) => (body, { scope }) => discovery.listKnown(scope, body);
