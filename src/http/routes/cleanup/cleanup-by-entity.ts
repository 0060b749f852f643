import type { Route } from '../../route-types.js';

export const cleanupByEntity: Route<'cleanupByEntity'> = ({ cleanup }) => (body) => cleanup.byEntity(body);
