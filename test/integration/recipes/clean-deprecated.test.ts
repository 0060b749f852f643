import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { streamEvents } from '../../helpers/events.js';
import { simpleRecipes } from '../../helpers/fixtures.js';
import { startHarness, type Harness } from '../../helpers/harness.js';
import { forgeWorld, ok, startBody, swordMaterials } from '../../helpers/world.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h.close());

async function seedAndDeprecate(count: number) {
  const gs = await h.gameService();
  const seeded = await h.post('/craft/recipe/seed', { gameServiceId: gs, recipes: simpleRecipes(count) });
  const ids: string[] = seeded.body.created.map((c: { recipeId: string }) => c.recipeId);
  for (const recipeId of ids) await h.post('/craft/recipe/deprecate', { recipeId, reason: 'old' });
  return { gs, ids };
}

/** Moves deprecatedAt into the past, as if the recipes had been deprecated `days` ago. */
async function age(ids: string[], days: number) {
  await h.runtime.internals.prisma.recipe.updateMany({
    where: { id: { in: ids } },
    data: { deprecatedAt: new Date(Date.now() - days * 86_400_000) },
  });
}

describe('recipe/clean-deprecated', () => {
  it('cleanDeprecated_dryRun_countsButDeletesNothing', async () => {
    const { gs, ids } = await seedAndDeprecate(3);
    const res = await h.post('/craft/recipe/clean-deprecated', { gameServiceId: gs, dryRun: true });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ cleaned: 3, remaining: 0, errors: 0 });
    expect(new Set(res.body.cleanedIds)).toEqual(new Set(ids));
    expect(await h.runtime.internals.prisma.recipe.count({ where: { gameServiceId: gs } })).toBe(3);
  });

  it('cleanDeprecated_gracePeriod_keepsRecentlyDeprecatedOnes', async () => {
    const { gs, ids } = await seedAndDeprecate(4);
    await age(ids.slice(0, 2), 10);
    const res = await h.post('/craft/recipe/clean-deprecated', { gameServiceId: gs, gracePeriodDays: 7 });
    expect(res.body).toMatchObject({ cleaned: 2, remaining: 2, errors: 0 });
    expect(new Set(res.body.cleanedIds)).toEqual(new Set(ids.slice(0, 2)));
    expect((await h.post('/craft/recipe/get', { recipeId: ids[0] })).status).toBe(404);
    expect((await h.post('/craft/recipe/get', { recipeId: ids[2] })).status).toBe(200);
    const deleted = await streamEvents(h.runtime, `${h.config.eventSubjectPrefix}.recipe.deleted`, (p) => p.gameServiceId === gs);
    expect(deleted.map((e) => e.payload.recipeId).sort()).toEqual(ids.slice(0, 2).sort());
  });

  it('cleanDeprecated_recipeUsedByActiveSession_isKeptAndTheSessionStillCompletes', async () => {
    const w = await forgeWorld(h, { recipe: { steps: [{ code: 'only', name: 'Only' }] } });
    await swordMaterials(w);
    const { sessionId } = await ok(h, '/craft/session/start', startBody(w, { stationId: undefined }));
    await ok(h, '/craft/recipe/deprecate', { recipeId: w.recipeId, reason: 'retired' });

    const res = await h.post('/craft/recipe/clean-deprecated', { gameServiceId: w.gs });
    expect(res.body).toMatchObject({ cleaned: 0, remaining: 1 });
    expect((await h.post('/craft/recipe/get', { recipeId: w.recipeId })).status).toBe(200);

    // Deprecation does not stop a session already running.
    const done = await ok(h, '/craft/session/advance', { sessionId, stepCode: 'only' });
    expect(done.status).toBe('completed');
    const after = await h.post('/craft/recipe/clean-deprecated', { gameServiceId: w.gs });
    expect(after.body).toMatchObject({ cleaned: 1, remaining: 0, cleanedIds: [w.recipeId] });
  });

  it('cleanDeprecated_activeRecipes_neverTouched', async () => {
    const gs = await h.gameService();
    await h.post('/craft/recipe/seed', { gameServiceId: gs, recipes: simpleRecipes(2) });
    const res = await h.post('/craft/recipe/clean-deprecated', { gameServiceId: gs });
    expect(res.body).toMatchObject({ cleaned: 0, remaining: 0 });
    expect(await h.runtime.internals.prisma.recipe.count({ where: { gameServiceId: gs } })).toBe(2);
  });
});
