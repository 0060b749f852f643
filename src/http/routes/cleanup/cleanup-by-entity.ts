import type { Route } from '../../route-types.js';

export const cleanupByEntity: Route<'cleanupByEntity'> = ({ cleanup }) => (body, { scope }) => cleanup.byEntity(scope, body);
