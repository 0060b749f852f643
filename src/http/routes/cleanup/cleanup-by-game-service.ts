import type { Route } from '../../route-types.js';

export const cleanupByGameService: Route<'cleanupByGameService'> = ({ cleanup }) => (body, { scope }) => cleanup.byGameService(scope, body);
