import type { Route } from '../../route-types.js';

export const registerStation: Route<'registerStation'> = ({ stations }) => (body, { scope }) => stations.register(scope, body);
