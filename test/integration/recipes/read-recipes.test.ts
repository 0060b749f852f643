import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { forgeIronSword, simpleRecipes } from '../../helpers/fixtures.js';
import { startHarness, type Harness } from '../../helpers/harness.js';

let h: Harness;
let gs: string;
beforeAll(async () => {
  h = await startHarness();
  gs = await h.gameService();
  const seeded = await h.post('/craft/recipe/seed', { gameServiceId: gs, recipes: simpleRecipes(25, { domains: 3 }) });
  expect(seeded.body.createdCount).toBe(25);
});
afterAll(() => h.close());

describe('recipe/get', () => {
  it('getRecipe_byGameServiceAndCode_returnsTheRecipe', async () => {
    const res = await h.post('/craft/recipe/get', { gameServiceId: gs, code: 'recipe_0007' });
    expect(res.status).toBe(200);
    expect(res.body.recipe).toMatchObject({ code: 'recipe_0007', domain: 'domain_1', gameServiceId: gs });
  });

  it('getRecipe_unknownId_returns404WithBody', async () => {
    const res = await h.post('/craft/recipe/get', { recipeId: randomUUID() });
    expect(res.status).toBe(404);
    expect(res.body).toMatchObject({ code: 'RECIPE_NOT_FOUND', message: expect.any(String) });
  });

  it('getRecipe_codeOfAnotherGameService_returns404', async () => {
    const other = await h.gameService();
    const res = await h.post('/craft/recipe/get', { gameServiceId: other, code: 'recipe_0007' });
    expect(res.status).toBe(404);
  });

  it('getRecipe_neitherIdNorCode_returns400', async () => {
    const res = await h.post('/craft/recipe/get', { gameServiceId: gs });
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('VALIDATION_FAILED');
  });
});

describe('recipe/list', () => {
  it('listRecipes_pages_coverEveryRecipeOnceInDomainCategoryCodeOrder', async () => {
    const seen: string[] = [];
    for (let page = 1; page <= 3; page++) {
      const res = await h.post('/craft/recipe/list', { gameServiceId: gs, page, pageSize: 10 });
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ page, pageSize: 10, totalCount: 25 });
      seen.push(...res.body.items.map((r: { code: string }) => r.code));
    }
    expect(seen).toHaveLength(25);
    expect(new Set(seen).size).toBe(25);
    const res = await h.post('/craft/recipe/list', { gameServiceId: gs, pageSize: 100 });
    const keys = res.body.items.map((r: { domain: string; category: string; code: string }) => `${r.domain}|${r.category}|${r.code}`);
    expect(keys).toEqual([...keys].sort());
  });

  it('listRecipes_defaultPaging_is20PerPage', async () => {
    const res = await h.post('/craft/recipe/list', { gameServiceId: gs });
    expect(res.body).toMatchObject({ page: 1, pageSize: 20, totalCount: 25 });
    expect(res.body.items).toHaveLength(20);
  });

  it('listRecipes_filters_combine', async () => {
    const byDomain = await h.post('/craft/recipe/list', { gameServiceId: gs, domain: 'domain_0', pageSize: 100 });
    expect(byDomain.body.totalCount).toBe(9);
    expect(byDomain.body.items.every((r: { domain: string }) => r.domain === 'domain_0')).toBe(true);

    const byDomainAndCategory = await h.post('/craft/recipe/list', {
      gameServiceId: gs,
      domain: 'domain_0',
      category: 'even',
      pageSize: 100,
    });
    expect(byDomainAndCategory.body.items.map((r: { code: string }) => r.code)).toEqual(
      ['recipe_0000', 'recipe_0006', 'recipe_0012', 'recipe_0018', 'recipe_0024'],
    );

    const byType = await h.post('/craft/recipe/list', { gameServiceId: gs, recipeType: 'extraction' });
    expect(byType.body.totalCount).toBe(0);
  });

  it('listRecipes_tags_matchAny', async () => {
    const res = await h.post('/craft/recipe/list', { gameServiceId: gs, tags: ['tag_1', 'tag_2'], pageSize: 100 });
    // recipes i with i % 4 in {1, 2}: 1,2,5,6,...,21,22 -> 12 recipes
    expect(res.body.totalCount).toBe(12);
    expect(res.body.items.every((r: { tags: string[] }) => ['tag_1', 'tag_2'].includes(r.tags[0]!))).toBe(true);
  });

  it('listRecipes_unknownGameService_returnsEmptyPage', async () => {
    const res = await h.post('/craft/recipe/list', { gameServiceId: randomUUID() });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ items: [], totalCount: 0 });
  });

  it('listRecipes_pageSizeAbove100_returns400', async () => {
    const res = await h.post('/craft/recipe/list', { gameServiceId: gs, pageSize: 101 });
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('VALIDATION_FAILED');
  });
});

describe('recipe/list-domains', () => {
  it('listRecipeDomains_countsPerDomain_excludingDeprecatedUnlessAsked', async () => {
    const own = await h.gameService();
    await h.post('/craft/recipe/seed', { gameServiceId: own, recipes: simpleRecipes(5, { domains: 2 }) });
    await h.post('/craft/recipe/create', forgeIronSword(own));
    const sword = await h.post('/craft/recipe/get', { gameServiceId: own, code: 'forge_iron_sword' });
    await h.post('/craft/recipe/deprecate', { recipeId: sword.body.recipe.recipeId });

    const res = await h.post('/craft/recipe/list-domains', { gameServiceId: own });
    expect(res.status).toBe(200);
    expect(res.body.domains).toEqual([
      { domain: 'domain_0', recipeCount: 3 },
      { domain: 'domain_1', recipeCount: 2 },
    ]);
    const all = await h.post('/craft/recipe/list-domains', { gameServiceId: own, includeDeprecated: true });
    expect(all.body.domains).toEqual([
      { domain: 'blacksmithing', recipeCount: 1 },
      { domain: 'domain_0', recipeCount: 3 },
      { domain: 'domain_1', recipeCount: 2 },
    ]);
  });
});
