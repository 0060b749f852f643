import type { Route } from '../../route-types.js';

export const getNpcVariables: Route<'getNpcVariables'> = ({ npcVariables }) => (body, { scope }) => npcVariables.evaluate(scope, body);
