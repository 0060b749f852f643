import type { Route } from '../../route-types.js';

export const attemptDiscovery: Route<'attemptDiscovery'> = ({ discovery }) => (body, { scope }) => discovery.attempt(scope, body);
