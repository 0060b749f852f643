import type { Route } from '../../route-types.js';

export const listRecipes: Route<'listRecipes'> = ({ recipes }) => async (body, { scope }) => {
  const page = body.page ?? 1;
  const pageSize = body.pageSize ?? 20;
  const { items, totalCount } = await recipes.list(scope, {
    gameServiceId: body.gameServiceId,
    recipeType: body.recipeType,
    domain: body.domain,
    category: body.category,
    tags: body.tags,
    includeDeprecated: body.includeDeprecated ?? false,
    page,
    pageSize,
  });
  return { items, page, pageSize, totalCount };
};
