import type { Route } from '../../route-types.js';

export const attemptDiscovery: Route<'attemptDiscovery'> = ({ discovery }) => (body) => discovery.attempt(body);
