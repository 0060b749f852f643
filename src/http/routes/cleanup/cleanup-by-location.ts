import type { Route } from '../../route-types.js';

export const cleanupByLocation: Route<'cleanupByLocation'> = ({ cleanup }) => (body) => cleanup.byLocation(body);
