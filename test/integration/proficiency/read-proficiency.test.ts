import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from '../../helpers/harness.js';
import { crafter, smithingWorld } from './proficiency-fixtures.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h.close());

describe('proficiency/get and list', () => {
  it('getProficiency_entityNeverGainedExperience_returns404', async () => {
    const { gameServiceId, domain } = await smithingWorld(h);
    const res = await crafter(h, gameServiceId).get(domain);
    expect(res.status).toBe(404);
    expect(res.body.code).toBe('PROFICIENCY_NOT_FOUND');
  });

  it('getProficiency_unknownGameService_returns404NotAnError500', async () => {
    const res = await crafter(h, randomUUID()).get('blacksmithing');
    expect(res.status).toBe(404);
    expect(res.body.code).toBe('PROFICIENCY_NOT_FOUND');
  });

  it('getProficiency_otherGameService_doesNotSeeIt', async () => {
    const a = await smithingWorld(h);
    const b = await smithingWorld(h);
    const c = crafter(h, a.gameServiceId);
    await c.grant('blacksmithing', 50);
    const res = await h.post('/craft/proficiency/get', {
      gameServiceId: b.gameServiceId,
      entityId: c.entityId,
      entityType: c.entityType,
      domain: 'blacksmithing',
    });
    expect(res.status).toBe(404);
  });

  it('listProficiencies_noRecords_returnsEmptyList', async () => {
    const { gameServiceId } = await smithingWorld(h);
    const res = await crafter(h, gameServiceId).list();
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ proficiencies: [] });
  });

  it('listProficiencies_severalDomains_returnsEverySortedByDomain', async () => {
    const gameServiceId = await h.gameService();
    const domains = ['weaving', 'alchemy', 'blacksmithing'];
    for (const domain of domains) {
      const res = await h.post('/craft/recipe/create', {
        gameServiceId,
        code: `r_${domain}`,
        recipeType: 'production',
        domain,
        inputs: [{ itemTemplateCode: 'thing', quantity: 1 }],
        steps: [{ code: 'work', name: 'Work', skillCheck: false }],
        outputs: [{ itemTemplateCode: `${domain}_out`, quantity: 1, qualityInfluence: 1 }],
      });
      expect(res.status).toBe(200);
    }
    const c = crafter(h, gameServiceId);
    await c.grant('weaving', 10);
    await c.grant('alchemy', 500);
    await c.set('blacksmithing', 4000);
    const res = await c.list();
    expect(res.status).toBe(200);
    expect(res.body.proficiencies).toEqual([
      { domain: 'alchemy', level: 7, experience: 500, phase: 'journeyman', experienceForNextLevel: 640 },
      { domain: 'blacksmithing', level: 20, experience: 4000, phase: 'master', experienceForNextLevel: 4410 },
      { domain: 'weaving', level: 1, experience: 10, phase: 'novice', experienceForNextLevel: 40 },
    ]);
  });
});
