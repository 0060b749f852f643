import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from '../../helpers/harness.js';
import { crafter, smithingWorld } from './proficiency-fixtures.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ CRAFT_EXPERIENCE_SCALING_FACTOR: '3' });
});
afterAll(() => h.close());

describe('proficiency/grant', () => {
  it('grantProficiency_firstGrant_createsRecordWithLevelAndPhase', async () => {
    const { gameServiceId, domain } = await smithingWorld(h);
    const c = crafter(h, gameServiceId);
    const res = await c.grant(domain, 15);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ newExperience: 15, levelChanged: true, newLevel: 1, newPhase: 'novice' });

    const got = await c.get(domain);
    expect(got.status).toBe(200);
    expect(got.body.proficiency).toEqual({ domain, level: 1, experience: 15, phase: 'novice', experienceForNextLevel: 40 });
  });

  it('grantProficiency_scalingFactorConfigured_manualGrantNotScaled', async () => {
    const { gameServiceId, domain } = await smithingWorld(h);
    const c = crafter(h, gameServiceId);
    expect((await c.grant(domain, 5)).body.newExperience).toBe(5);
  });

  it('grantProficiency_repeatedGrants_accumulateAndReportLevelAtThresholds', async () => {
    const { gameServiceId, domain } = await smithingWorld(h);
    const c = crafter(h, gameServiceId);

    expect((await c.grant(domain, 89)).body).toEqual({ newExperience: 89, levelChanged: true, newLevel: 2, newPhase: 'novice' });
    // 90 xp = 10 x 3^2: level 3, still a novice.
    expect((await c.grant(domain, 1)).body).toEqual({ newExperience: 90, levelChanged: true, newLevel: 3, newPhase: 'novice' });
    // 100 xp: the level stays 3 but the phase becomes apprentice.
    expect((await c.grant(domain, 10)).body).toEqual({ newExperience: 100, levelChanged: false, newLevel: null, newPhase: 'apprentice' });
    expect((await c.grant(domain, 59)).body).toEqual({ newExperience: 159, levelChanged: false, newLevel: null, newPhase: null });
    // 160 xp = 10 x 4^2: level 4.
    expect((await c.grant(domain, 1)).body).toEqual({ newExperience: 160, levelChanged: true, newLevel: 4, newPhase: 'apprentice' });

    expect((await c.get(domain)).body.proficiency).toEqual({
      domain,
      level: 4,
      experience: 160,
      phase: 'apprentice',
      experienceForNextLevel: 250,
    });
  });

  it('grantProficiency_fractionalGrants_sumWithoutFloatDrift', async () => {
    const { gameServiceId, domain } = await smithingWorld(h);
    const c = crafter(h, gameServiceId);
    for (let i = 0; i < 3; i++) await c.grant(domain, 0.1);
    expect((await c.get(domain)).body.proficiency.experience).toBe(0.3);
  });

  it('grantProficiency_fiftyConcurrentGrantsOfOne_experienceExactlyFiftyAndLevelTwo', async () => {
    const { gameServiceId, domain } = await smithingWorld(h);
    const c = crafter(h, gameServiceId);
    const results = await Promise.all(Array.from({ length: 50 }, () => c.grant(domain, 1)));
    expect(results.map((r) => r.status)).toEqual(Array(50).fill(200));
    // Every grant saw a distinct total: none was lost or applied twice.
    expect(results.map((r) => r.body.newExperience).sort((a, b) => a - b)).toEqual(Array.from({ length: 50 }, (_, i) => i + 1));
    // Level 1 is reached at 10 xp and level 2 at 40: exactly one grant reports each.
    expect(results.filter((r) => r.body.levelChanged).map((r) => r.body.newLevel).sort((a, b) => a - b)).toEqual([1, 2]);

    const got = await c.get(domain);
    expect(got.body.proficiency).toMatchObject({ experience: 50, level: 2, phase: 'novice' });
    const rows = await h.runtime.internals.prisma.proficiency.count({ where: { entityId: c.entityId } });
    expect(rows).toBe(1);
  });

  it('grantProficiency_sameEntityIdOtherEntityType_keptApart', async () => {
    const { gameServiceId, domain } = await smithingWorld(h);
    const character = crafter(h, gameServiceId, 'character');
    await character.grant(domain, 40);
    const res = await h.post('/craft/proficiency/get', { gameServiceId, entityId: character.entityId, entityType: 'npc', domain });
    expect(res.status).toBe(404);
    expect((await character.get(domain)).body.proficiency.experience).toBe(40);
  });

  it('grantProficiency_domainOnlyInRequirementOrExperienceGrant_accepted', async () => {
    const gameServiceId = await h.gameService();
    const recipe = {
      gameServiceId,
      code: 'smelt_ore',
      recipeType: 'production',
      domain: 'smelting',
      inputs: [{ itemTemplateCode: 'ore', quantity: 2 }],
      steps: [{ code: 'smelt', name: 'Smelt', skillCheck: false }],
      outputs: [{ itemTemplateCode: 'ingot', quantity: 1, qualityInfluence: 1 }],
      proficiencyRequirements: [{ domain: 'metallurgy', minimumLevel: 1 }],
      experienceGrants: [{ domain: 'mining', baseExperience: 5 }],
    };
    expect((await h.post('/craft/recipe/create', recipe)).status).toBe(200);
    const c = crafter(h, gameServiceId);
    for (const domain of ['smelting', 'metallurgy', 'mining']) {
      expect((await c.grant(domain, 1)).status).toBe(200);
    }
    expect((await c.grant('weaving', 1)).body.code).toBe('DOMAIN_UNKNOWN');
  });

  it('grantProficiency_unknownGameService_returns400AndWritesNothing', async () => {
    const c = crafter(h, randomUUID());
    const res = await c.grant('blacksmithing', 10);
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('GAME_SERVICE_NOT_FOUND');
    expect(await h.runtime.internals.prisma.proficiency.count({ where: { entityId: c.entityId } })).toBe(0);
  });

  it('grantProficiency_domainNoRecipeUses_returns400AndWritesNothing', async () => {
    const { gameServiceId } = await smithingWorld(h);
    const c = crafter(h, gameServiceId);
    const res = await c.grant('weaving', 10);
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('DOMAIN_UNKNOWN');
    expect((await c.get('weaving')).status).toBe(404);
  });

  it('grantProficiency_domainOfAnotherGameService_returns400', async () => {
    await smithingWorld(h); // blacksmithing exists elsewhere
    const other = await h.gameService();
    const res = await crafter(h, other).grant('blacksmithing', 10);
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('DOMAIN_UNKNOWN');
  });

  it('grantProficiency_amountOutOfRange_returns400Validation', async () => {
    const { gameServiceId, domain } = await smithingWorld(h);
    const c = crafter(h, gameServiceId);
    for (const amount of [0, -5, 2_000_000]) {
      const res = await c.grant(domain, amount);
      expect(res.status).toBe(400);
      expect(res.body.code).toBe('VALIDATION_FAILED');
    }
    expect((await c.get(domain)).status).toBe(404);
  });
});
