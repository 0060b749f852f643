import type { Route } from '../../route-types.js';

export const updateRuleset: Route<'updateRuleset'> = ({ rulesets }) => async (body, { scope }) => ({
  ruleset: await rulesets.update(scope, body.gameServiceId, body.ruleset),
});
