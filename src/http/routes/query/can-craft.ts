import type { Route } from '../../route-types.js';

export const canCraft: Route<'canCraft'> = ({ queries }) => (body, { scope }) => queries.canCraft(scope, body);
