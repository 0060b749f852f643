import type { Route } from '../../route-types.js';

export const registerStation: Route<'registerStation'> = ({ stations }) => (body) => stations.register(body);
