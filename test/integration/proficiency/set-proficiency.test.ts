import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { streamEvents } from '../../helpers/events.js';
import { startHarness, type Harness } from '../../helpers/harness.js';
import { crafter, smithingWorld } from './proficiency-fixtures.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ CRAFT_MAX_PROFICIENCY_LEVEL: '5' });
});
afterAll(() => h.close());

const leveled = (entityId: string) =>
  streamEvents(h.runtime, `${h.config.eventSubjectPrefix}.proficiency.leveled`, (p) => p.entityId === entityId);

describe('proficiency/set', () => {
  it('setProficiency_noRecord_createsWithDerivedLevelAndPhase', async () => {
    const { gameServiceId, domain } = await smithingWorld(h);
    const c = crafter(h, gameServiceId);
    const res = await c.set(domain, 100);
    expect(res.status).toBe(200);
    expect(res.body.proficiency).toEqual({ domain, level: 3, experience: 100, phase: 'apprentice', experienceForNextLevel: 160 });
    expect((await c.get(domain)).body.proficiency).toEqual(res.body.proficiency);
  });

  it('setProficiency_lowerValue_lowersLevelAndPhase', async () => {
    const { gameServiceId, domain } = await smithingWorld(h);
    const c = crafter(h, gameServiceId);
    await c.set(domain, 200);
    const res = await c.set(domain, 39);
    expect(res.status).toBe(200);
    expect(res.body.proficiency).toEqual({ domain, level: 1, experience: 39, phase: 'novice', experienceForNextLevel: 40 });
    const events = await leveled(c.entityId);
    expect(events.map((e) => e.payload.newLevel)).toEqual([4, 1]);
  });

  it('setProficiency_toZero_keepsARecordAtLevelZero', async () => {
    const { gameServiceId, domain } = await smithingWorld(h);
    const c = crafter(h, gameServiceId);
    await c.grant(domain, 30);
    const res = await c.set(domain, 0);
    expect(res.body.proficiency).toEqual({ domain, level: 0, experience: 0, phase: 'novice', experienceForNextLevel: 10 });
    expect((await c.get(domain)).status).toBe(200);
  });

  it('setProficiency_sameLevel_publishesNoLeveledEvent', async () => {
    const { gameServiceId, domain } = await smithingWorld(h);
    const c = crafter(h, gameServiceId);
    await c.set(domain, 95);
    await c.set(domain, 120);
    expect((await leveled(c.entityId)).map((e) => e.payload.newLevel)).toEqual([3]);
  });

  it('setProficiency_beyondMaxLevel_cappedAndNoNextLevel', async () => {
    const { gameServiceId, domain } = await smithingWorld(h);
    const c = crafter(h, gameServiceId);
    const res = await c.set(domain, 5000);
    expect(res.body.proficiency).toEqual({ domain, level: 5, experience: 5000, phase: 'master', experienceForNextLevel: null });
  });

  it('grantProficiency_pastMaxLevel_levelStaysAtCapAndUnchanged', async () => {
    const { gameServiceId, domain } = await smithingWorld(h);
    const c = crafter(h, gameServiceId);
    expect((await c.grant(domain, 240)).body).toMatchObject({ levelChanged: true, newLevel: 4 });
    expect((await c.grant(domain, 10)).body).toMatchObject({ newExperience: 250, levelChanged: true, newLevel: 5 });
    expect((await c.grant(domain, 10_000)).body).toEqual({ newExperience: 10_250, levelChanged: false, newLevel: null, newPhase: 'master' });
    expect((await c.get(domain)).body.proficiency).toMatchObject({ level: 5, experienceForNextLevel: null });
  });

  it('setProficiency_unknownGameService_returns400', async () => {
    const res = await crafter(h, randomUUID()).set('blacksmithing', 10);
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('GAME_SERVICE_NOT_FOUND');
  });

  it('setProficiency_unknownDomain_returns400AndWritesNothing', async () => {
    const { gameServiceId } = await smithingWorld(h);
    const c = crafter(h, gameServiceId);
    const res = await c.set('weaving', 10);
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('DOMAIN_UNKNOWN');
    expect((await c.list()).body.proficiencies).toEqual([]);
  });
});
