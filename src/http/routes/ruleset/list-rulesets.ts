import type { Route } from '../../route-types.js';

export const listRulesets: Route<'listRulesets'> = ({ rulesets }) => async (body, { scope }) => {
  const page = body.page ?? 1;
  const pageSize = body.pageSize ?? 20;
  const { items, totalCount } = await rulesets.list(scope, {
    gameServiceId: body.gameServiceId,
    includeDeprecated: body.includeDeprecated ?? false,
    page,
    pageSize,
  });
  return { items, page, pageSize, totalCount };
};
