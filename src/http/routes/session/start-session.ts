import type { Route } from '../../route-types.js';

export const startSession: Route<'startSession'> = ({ sessions }) => (body) => sessions.start(body);
