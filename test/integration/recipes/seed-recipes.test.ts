import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { streamEvents } from '../../helpers/events.js';
import { forgeIronSword, simpleRecipes } from '../../helpers/fixtures.js';
import { startHarness, type Harness } from '../../helpers/harness.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h.close());

const created = (gs: string) => streamEvents(h.runtime, `${h.config.eventSubjectPrefix}.recipe.created`, (p) => p.gameServiceId === gs);

describe('recipe/seed', () => {
  it('seedRecipes_sameTenTwice_createsThenSkipsAndPublishesOneCreatedEventEach', async () => {
    const gs = await h.gameService();
    const recipes = simpleRecipes(10);
    const first = await h.post('/craft/recipe/seed', { gameServiceId: gs, recipes });
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ createdCount: 10, skippedCount: 0, skipped: [] });
    expect(first.body.created).toHaveLength(10);

    const second = await h.post('/craft/recipe/seed', { gameServiceId: gs, recipes });
    expect(second.body).toMatchObject({ createdCount: 0, skippedCount: 10, created: [] });

    const got = await h.post('/craft/recipe/get', { gameServiceId: gs, code: 'recipe_0003' });
    expect(got.body.recipe).toMatchObject(recipes[3]!);
    expect(got.body.recipe.recipeId).toBe(first.body.created[3].recipeId);

    const events = await created(gs);
    expect(events).toHaveLength(10);
    expect(new Set(events.map((e) => e.payload.code))).toEqual(new Set(recipes.map((r) => r.code)));
    expect(new Set(events.map((e) => e.payload.eventId)).size).toBe(10);
    expect(events[0]!.payload).toMatchObject({ eventName: 'craft.recipe.created', gameServiceId: gs, recipeType: 'production' });
  });

  it('seedRecipes_partlyExisting_createsOnlyTheNewOnes', async () => {
    const gs = await h.gameService();
    await h.post('/craft/recipe/seed', { gameServiceId: gs, recipes: simpleRecipes(4) });
    const res = await h.post('/craft/recipe/seed', { gameServiceId: gs, recipes: simpleRecipes(6) });
    expect(res.body).toMatchObject({ createdCount: 2, skippedCount: 4 });
    expect(res.body.skipped).toEqual(['recipe_0000', 'recipe_0001', 'recipe_0002', 'recipe_0003']);
  });

  it('seedRecipes_oneInvalid_reportsWhichAndWhyAndWritesNothing', async () => {
    const gs = await h.gameService();
    const recipes = simpleRecipes(5);
    recipes[1] = { ...recipes[1]!, outputs: [] };
    recipes[3] = { ...recipes[3]!, steps: [{ code: 'a', name: 'A', skillCheck: false }, { code: 'a', name: 'B', skillCheck: false }] };
    const res = await h.post('/craft/recipe/seed', { gameServiceId: gs, recipes });
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('RECIPE_SEED_INVALID');
    expect(res.body.details.invalid).toEqual([
      { index: 1, code: 'recipe_0001', errors: [expect.objectContaining({ code: 'OUTPUTS_REQUIRED' })] },
      { index: 3, code: 'recipe_0003', errors: [expect.objectContaining({ code: 'STEP_CODE_DUPLICATE' })] },
    ]);
    expect(await h.runtime.internals.prisma.recipe.count({ where: { gameServiceId: gs } })).toBe(0);
    expect(await created(gs)).toHaveLength(0);
  });

  it('seedRecipes_duplicateCodeInOneRequest_invalid', async () => {
    const gs = await h.gameService();
    const [a] = simpleRecipes(1);
    const res = await h.post('/craft/recipe/seed', { gameServiceId: gs, recipes: [a, a] });
    expect(res.status).toBe(400);
    expect(res.body.details.invalid[0]).toMatchObject({ index: 1, errors: [expect.objectContaining({ code: 'CODE_DUPLICATE_IN_SEED' })] });
  });

  it('seedRecipes_itemNamingAnotherGameService_invalid', async () => {
    const gs = await h.gameService();
    const res = await h.post('/craft/recipe/seed', { gameServiceId: gs, recipes: [forgeIronSword(randomUUID())] });
    expect(res.status).toBe(400);
    expect(res.body.details.invalid[0].errors[0].code).toBe('GAME_SERVICE_MISMATCH');
  });

  it('seedRecipes_unknownGameService_returns400', async () => {
    const res = await h.post('/craft/recipe/seed', { gameServiceId: randomUUID(), recipes: simpleRecipes(1) });
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('GAME_SERVICE_NOT_FOUND');
  });

  it('seedRecipes_concurrentOverlappingSeeds_createEachCodeOnce', async () => {
    const gs = await h.gameService();
    const recipes = simpleRecipes(20);
    const results = await Promise.all([
      h.post('/craft/recipe/seed', { gameServiceId: gs, recipes: recipes.slice(0, 15) }),
      h.post('/craft/recipe/seed', { gameServiceId: gs, recipes: recipes.slice(5, 20) }),
      h.post('/craft/recipe/seed', { gameServiceId: gs, recipes }),
    ]);
    expect(results.map((r) => r.status)).toEqual([200, 200, 200]);
    const totalCreated = results.reduce((n, r) => n + r.body.createdCount, 0);
    expect(totalCreated).toBe(20);
    expect(await h.runtime.internals.prisma.recipe.count({ where: { gameServiceId: gs } })).toBe(20);
    expect(await created(gs)).toHaveLength(20);
  });

  it('seedRecipes_moreThan500_returns400', async () => {
    const gs = await h.gameService();
    const res = await h.post('/craft/recipe/seed', { gameServiceId: gs, recipes: simpleRecipes(501) });
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('VALIDATION_FAILED');
  });
});
