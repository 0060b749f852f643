import type { Route } from '../../route-types.js';

export const advanceSession: Route<'advanceSession'> = ({ sessions }) => (body) => sessions.advance(body);
