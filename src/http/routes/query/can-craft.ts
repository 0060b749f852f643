import type { Route } from '../../route-types.js';

export const canCraft: Route<'canCraft'> = ({ queries }) => (body) => queries.canCraft(body);
