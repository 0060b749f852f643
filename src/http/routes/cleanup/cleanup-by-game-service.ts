import type { Route } from '../../route-types.js';

export const cleanupByGameService: Route<'cleanupByGameService'> = ({ cleanup }) => (body) => cleanup.byGameService(body);
