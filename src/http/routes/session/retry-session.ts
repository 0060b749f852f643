import type { Route } from '../../route-types.js';

export const retrySession: Route<'retrySession'> = ({ sessions }) => (body, { scope }) => sessions.retry(scope, body.sessionId);
