import type { Route } from '../../route-types.js';

export const cleanupByLocation: Route<'cleanupByLocation'> = ({ cleanup }) => (body, { scope }) => cleanup.byLocation(scope, body);
