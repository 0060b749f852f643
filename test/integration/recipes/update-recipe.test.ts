import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { streamEvents } from '../../helpers/events.js';
import { forgeIronSword } from '../../helpers/fixtures.js';
import { startHarness, type Harness } from '../../helpers/harness.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h.close());

async function createSword(overrides: Record<string, unknown> = {}) {
  const gs = await h.gameService();
  const res = await h.post('/craft/recipe/create', forgeIronSword(gs, overrides));
  expect(res.status).toBe(200);
  return { gs, recipeId: res.body.recipeId as string };
}

describe('recipe/update', () => {
  it('updateRecipe_partialChange_visibleAtOnceThroughEveryCachedRead', async () => {
    const { gs, recipeId } = await createSword();
    // Warm every cache entry first.
    await h.post('/craft/recipe/get', { recipeId });
    await h.post('/craft/recipe/get', { gameServiceId: gs, code: 'forge_iron_sword' });
    await h.post('/craft/recipe/list', { gameServiceId: gs, domain: 'blacksmithing' });

    const res = await h.post('/craft/recipe/update', { recipeId, category: 'blades', tags: ['sharp'] });
    expect(res.status).toBe(200);
    expect(res.body.recipe).toMatchObject({ category: 'blades', tags: ['sharp'], code: 'forge_iron_sword' });
    expect(res.body.recipe.inputs).toHaveLength(2); // untouched fields survive

    expect((await h.post('/craft/recipe/get', { recipeId })).body.recipe.category).toBe('blades');
    expect((await h.post('/craft/recipe/get', { gameServiceId: gs, code: 'forge_iron_sword' })).body.recipe.category).toBe('blades');
    const listed = await h.post('/craft/recipe/list', { gameServiceId: gs, domain: 'blacksmithing' });
    expect(listed.body.items[0].category).toBe('blades');
    const byTag = await h.post('/craft/recipe/list', { gameServiceId: gs, tags: ['sharp'] });
    expect(byTag.body.totalCount).toBe(1);
  });

  it('updateRecipe_domainChange_movesTheRecipeBetweenCachedDomainLists', async () => {
    const { gs, recipeId } = await createSword();
    await h.post('/craft/recipe/list', { gameServiceId: gs, domain: 'blacksmithing' });
    await h.post('/craft/recipe/update', { recipeId, domain: 'weaponsmithing' });
    expect((await h.post('/craft/recipe/list', { gameServiceId: gs, domain: 'blacksmithing' })).body.totalCount).toBe(0);
    expect((await h.post('/craft/recipe/list', { gameServiceId: gs, domain: 'weaponsmithing' })).body.totalCount).toBe(1);
  });

  it('updateRecipe_immutableField_rejectedBySchema', async () => {
    const { recipeId } = await createSword();
    for (const field of [{ code: 'other' }, { recipeType: 'extraction' }, { gameServiceId: randomUUID() }]) {
      const res = await h.post('/craft/recipe/update', { recipeId, ...field });
      expect(res.status).toBe(400);
      expect(res.body.code).toBe('VALIDATION_FAILED');
    }
    expect((await h.post('/craft/recipe/get', { recipeId })).body.recipe.code).toBe('forge_iron_sword');
  });

  it('updateRecipe_resultInvalid_returns400AndKeepsTheOldRecipe', async () => {
    const { recipeId } = await createSword();
    const res = await h.post('/craft/recipe/update', { recipeId, outputs: [] });
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('RECIPE_INVALID');
    expect((await h.post('/craft/recipe/get', { recipeId })).body.recipe.outputs).toHaveLength(1);
  });

  it('updateRecipe_unknownId_returns404', async () => {
    const res = await h.post('/craft/recipe/update', { recipeId: randomUUID(), category: 'x' });
    expect(res.status).toBe(404);
    expect(res.body.code).toBe('RECIPE_NOT_FOUND');
  });

  it('updateRecipe_concurrentUpdates_allApplyAndEachPublishesOneEvent', async () => {
    const { recipeId } = await createSword();
    const categories = Array.from({ length: 8 }, (_, i) => `c${i}`);
    const results = await Promise.all(categories.map((category) => h.post('/craft/recipe/update', { recipeId, category })));
    expect(results.map((r) => r.status)).toEqual(categories.map(() => 200));
    const final = (await h.post('/craft/recipe/get', { recipeId })).body.recipe.category;
    expect(categories).toContain(final);
    const events = await streamEvents(h.runtime, `${h.config.eventSubjectPrefix}.recipe.updated`, (p) => p.recipeId === recipeId);
    expect(events).toHaveLength(8);
    expect(events.every((e) => e.payload.changedFields.includes('category'))).toBe(true);
  });

  it('updateRecipe_noActualChange_publishesNothing', async () => {
    const { recipeId } = await createSword();
    const res = await h.post('/craft/recipe/update', { recipeId, domain: 'blacksmithing' });
    expect(res.status).toBe(200);
    const events = await streamEvents(h.runtime, `${h.config.eventSubjectPrefix}.recipe.updated`, (p) => p.recipeId === recipeId);
    expect(events).toHaveLength(0);
  });
});

describe('recipe/deprecate', () => {
  it('deprecateRecipe_twice_isIdempotentKeepsFirstReasonAndPublishesOnce', async () => {
    const { recipeId } = await createSword();
    const first = await h.post('/craft/recipe/deprecate', { recipeId, reason: 'replaced by steel' });
    expect(first.status).toBe(200);
    expect(first.body.recipe).toMatchObject({ isDeprecated: true, deprecationReason: 'replaced by steel' });
    expect(first.body.recipe.deprecatedAt).toEqual(expect.any(String));

    const second = await h.post('/craft/recipe/deprecate', { recipeId, reason: 'something else' });
    expect(second.status).toBe(200);
    expect(second.body.recipe).toEqual(first.body.recipe);

    const got = await h.post('/craft/recipe/get', { recipeId });
    expect(got.body.recipe.isDeprecated).toBe(true);
    const events = await streamEvents(h.runtime, `${h.config.eventSubjectPrefix}.recipe.deprecated`, (p) => p.recipeId === recipeId);
    expect(events).toHaveLength(1);
    expect(events[0]!.payload).toMatchObject({ deprecationReason: 'replaced by steel', isDeprecated: true });
  });

  it('deprecateRecipe_hiddenFromListsUnlessIncluded', async () => {
    const { gs, recipeId } = await createSword();
    await h.post('/craft/recipe/list', { gameServiceId: gs, domain: 'blacksmithing' }); // warm the domain cache
    await h.post('/craft/recipe/deprecate', { recipeId });
    expect((await h.post('/craft/recipe/list', { gameServiceId: gs })).body.totalCount).toBe(0);
    expect((await h.post('/craft/recipe/list', { gameServiceId: gs, domain: 'blacksmithing' })).body.totalCount).toBe(0);
    expect((await h.post('/craft/recipe/list', { gameServiceId: gs, includeDeprecated: true })).body.totalCount).toBe(1);
  });

  it('deprecateRecipe_reasonTooLong_returns400', async () => {
    const { recipeId } = await createSword();
    const res = await h.post('/craft/recipe/deprecate', { recipeId, reason: 'x'.repeat(501) });
    expect(res.status).toBe(400);
  });

  it('deprecateRecipe_unknownId_returns404', async () => {
    const res = await h.post('/craft/recipe/deprecate', { recipeId: randomUUID() });
    expect(res.status).toBe(404);
  });
});
