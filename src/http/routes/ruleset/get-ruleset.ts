import type { Route } from '../../route-types.js';

export const getRuleset: Route<'getRuleset'> = ({ rulesets }) => async (body, { scope }) => ({ ruleset: await rulesets.get(scope, body) });
