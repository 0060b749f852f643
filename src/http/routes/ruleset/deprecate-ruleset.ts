import type { Route } from '../../route-types.js';

export const deprecateRuleset: Route<'deprecateRuleset'> = ({ rulesets }) => async (body, { scope }) => ({
  ruleset: await rulesets.deprecate(scope, body.gameServiceId, body.code, body.reason ?? null),
});
