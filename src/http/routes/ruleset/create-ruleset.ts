import type { Route } from '../../route-types.js';

export const createRuleset: Route<'createRuleset'> = ({ rulesets }) => async (body, { scope }) => ({
  ruleset: await rulesets.create(scope, body.gameServiceId, body.ruleset),
});
