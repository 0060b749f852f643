import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { forgeIronSword } from '../../helpers/fixtures.js';
import { startHarness, type Harness } from '../../helpers/harness.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ CRAFT_MAX_RECIPES_PER_GAME_SERVICE: '3' });
});
afterAll(() => h.close());

async function recipeCount(gameServiceId: string) {
  return h.runtime.internals.prisma.recipe.count({ where: { gameServiceId } });
}

describe('recipe/create', () => {
  it('createRecipe_seedExample_returnsIdAndGetReturnsItBack', async () => {
    const gs = await h.gameService();
    const body = forgeIronSword(gs, { masteryLevel: 10 });
    const created = await h.post('/craft/recipe/create', body);
    expect(created.status).toBe(200);
    expect(created.body.recipeId).toMatch(/^[0-9a-f-]{36}$/);

    const got = await h.post('/craft/recipe/get', { recipeId: created.body.recipeId });
    expect(got.status).toBe(200);
    expect(got.body.recipe).toMatchObject({
      ...body,
      recipeId: created.body.recipeId,
      isDeprecated: false,
      masteryLevel: 10,
    });
    expect(got.body.recipe.steps[0]).toMatchObject({ code: 'heat_metal', durationSeconds: 15, skillCheck: true });
  });

  it('createRecipe_unknownGameService_returns400AndWritesNothing', async () => {
    const gs = randomUUID();
    const res = await h.post('/craft/recipe/create', forgeIronSword(gs));
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('GAME_SERVICE_NOT_FOUND');
    expect(await recipeCount(gs)).toBe(0);
  });

  it('createRecipe_sameCodeTwice_returns409', async () => {
    const gs = await h.gameService();
    expect((await h.post('/craft/recipe/create', forgeIronSword(gs))).status).toBe(200);
    const again = await h.post('/craft/recipe/create', forgeIronSword(gs));
    expect(again.status).toBe(409);
    expect(again.body.code).toBe('RECIPE_CODE_EXISTS');
    expect(await recipeCount(gs)).toBe(1);
  });

  it('createRecipe_sameCodeInAnotherGameService_allowed', async () => {
    const [a, b] = [await h.gameService(), await h.gameService()];
    expect((await h.post('/craft/recipe/create', forgeIronSword(a))).status).toBe(200);
    expect((await h.post('/craft/recipe/create', forgeIronSword(b))).status).toBe(200);
  });

  it('createRecipe_twoConcurrentCreatesOfOneCode_oneWinsOneConflicts', async () => {
    const gs = await h.gameService();
    const results = await Promise.all([
      h.post('/craft/recipe/create', forgeIronSword(gs)),
      h.post('/craft/recipe/create', forgeIronSword(gs)),
    ]);
    expect(results.map((r) => r.status).sort()).toEqual([200, 409]);
    expect(results.find((r) => r.status === 409)!.body.code).toBe('RECIPE_CODE_EXISTS');
    expect(await recipeCount(gs)).toBe(1);
  });

  it('createRecipe_beyondMaxRecipesPerGameService_returns400Limit', async () => {
    const gs = await h.gameService();
    for (const code of ['a', 'b', 'c']) {
      expect((await h.post('/craft/recipe/create', forgeIronSword(gs, { code }))).status).toBe(200);
    }
    const res = await h.post('/craft/recipe/create', forgeIronSword(gs, { code: 'd' }));
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('RECIPE_LIMIT_REACHED');
    expect(await recipeCount(gs)).toBe(3);
  });

  it('createRecipe_concurrentCreatesAtTheLimit_neverExceedIt', async () => {
    const gs = await h.gameService();
    const results = await Promise.all(
      ['a', 'b', 'c', 'd', 'e', 'f'].map((code) => h.post('/craft/recipe/create', forgeIronSword(gs, { code }))),
    );
    expect(results.filter((r) => r.status === 200)).toHaveLength(3);
    expect(results.filter((r) => r.status !== 200).every((r) => r.body.code === 'RECIPE_LIMIT_REACHED')).toBe(true);
    expect(await recipeCount(gs)).toBe(3);
  });

  describe('semantic validation answers 400 RECIPE_INVALID and writes nothing', () => {
    const cases: [string, Record<string, unknown>, string][] = [
      ['duplicate step codes', { steps: [{ code: 's', name: 'S' }, { code: 's', name: 'S2' }], inputs: [] }, 'STEP_CODE_DUPLICATE'],
      ['consumeOnStep naming no step', { inputs: [{ itemTemplateCode: 'iron_ingot', quantity: 1, consumeOnStep: 'smelt' }] }, 'UNKNOWN_STEP'],
      ['weights not summing to 1', { qualityWeights: { materialQuality: 0.5, proficiencyLevel: 0.5, toolQuality: 0.5 } }, 'WEIGHTS_SUM'],
      ['production without outputs', { outputs: [] }, 'OUTPUTS_REQUIRED'],
      ['modification without affix operation', { recipeType: 'modification', outputs: [] }, 'AFFIX_OPERATION_REQUIRED'],
      ['extraction without extraction outputs', { recipeType: 'extraction', outputs: [] }, 'EXTRACTION_OUTPUTS_REQUIRED'],
      ['discoverable without hints', { isDiscoverable: true }, 'HINTS_REQUIRED'],
    ];
    it.each(cases)('createRecipe_%s_rejected', async (_name, overrides, problem) => {
      const gs = await h.gameService();
      const res = await h.post('/craft/recipe/create', forgeIronSword(gs, overrides));
      expect(res.status).toBe(400);
      expect(res.body.code).toBe('RECIPE_INVALID');
      expect(res.body.details.errors.map((e: { code: string }) => e.code)).toContain(problem);
      expect(await recipeCount(gs)).toBe(0);
    });
  });

  describe('schema validation answers 400 VALIDATION_FAILED', () => {
    const cases: [string, (gs: string) => unknown][] = [
      ['no steps', (gs) => forgeIronSword(gs, { steps: [] })],
      ['missing code', (gs) => ({ ...forgeIronSword(gs), code: undefined })],
      ['unknown field', (gs) => forgeIronSword(gs, { flavour: 'spicy' })],
      ['negative quantity', (gs) => forgeIronSword(gs, { inputs: [{ itemTemplateCode: 'x', quantity: -1 }] })],
      ['quality weight above 1', (gs) => forgeIronSword(gs, { qualityWeights: { materialQuality: 2, proficiencyLevel: 0, toolQuality: 0 } })],
      ['string for a number', (gs) => forgeIronSword(gs, { masteryLevel: '10' })],
      ['bad game service id', () => forgeIronSword('not-a-uuid')],
      ['over-long code', (gs) => forgeIronSword(gs, { code: 'x'.repeat(201) })],
    ];
    it.each(cases)('createRecipe_%s_rejected', async (_name, make) => {
      const gs = await h.gameService();
      const res = await h.post('/craft/recipe/create', make(gs));
      expect(res.status).toBe(400);
      expect(res.body.code).toBe('VALIDATION_FAILED');
      expect(res.body.message).toEqual(expect.any(String));
      expect(res.body.details.errors.length).toBeGreaterThan(0);
      expect(await recipeCount(gs)).toBe(0);
    });
  });
});
