import type { Route } from '../../route-types.js';

export const pauseSession: Route<'pauseSession'> = ({ sessions }) => async (body, { scope }) => sessions.pause(scope, body.sessionId);

export const resumeSession: Route<'resumeSession'> = ({ sessions }) => async (body, { scope }) => sessions.resume(scope, body.sessionId);
