import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { streamEvents } from '../../helpers/events.js';
import { startHarness, type Harness } from '../../helpers/harness.js';
import { crafter, smithingWorld } from './proficiency-fixtures.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h.close());

const events = (topic: 'gained' | 'leveled', entityId: string) =>
  streamEvents(h.runtime, `${h.config.eventSubjectPrefix}.proficiency.${topic}`, (p) => p.entityId === entityId);

describe('proficiency events', () => {
  it('grantProficiency_levelReached_publishesGainedAndLeveledOnceEach', async () => {
    const { gameServiceId, domain } = await smithingWorld(h);
    const c = crafter(h, gameServiceId);
    expect((await c.grant(domain, 100)).status).toBe(200);

    const gained = await events('gained', c.entityId);
    expect(gained).toHaveLength(1);
    expect(gained[0]!.payload).toEqual({
      eventName: 'craft.proficiency.gained',
      eventId: expect.stringMatching(/^[0-9a-f-]{36}$/),
      timestamp: expect.any(String),
      gameServiceId,
      entityId: c.entityId,
      entityType: 'character',
      domain,
      experienceAmount: 100,
    });

    const leveled = await events('leveled', c.entityId);
    expect(leveled).toHaveLength(1);
    expect(leveled[0]!.payload).toEqual({
      eventName: 'craft.proficiency.leveled',
      eventId: expect.stringMatching(/^[0-9a-f-]{36}$/),
      timestamp: expect.any(String),
      gameServiceId,
      entityId: c.entityId,
      entityType: 'character',
      domain,
      newLevel: 3,
      newPhase: 'apprentice',
    });
  });

  it('grantProficiency_levelUnchanged_publishesGainedOnly', async () => {
    const { gameServiceId, domain } = await smithingWorld(h);
    const c = crafter(h, gameServiceId);
    await c.grant(domain, 5);
    await c.grant(domain, 2);
    expect((await events('gained', c.entityId)).map((e) => e.payload.experienceAmount)).toEqual([5, 2]);
    expect(await events('leveled', c.entityId)).toEqual([]);
  });

  it('grantProficiency_concurrentGrants_oneGainedEventEachAndOneLeveledPerLevel', async () => {
    const { gameServiceId, domain } = await smithingWorld(h);
    const c = crafter(h, gameServiceId);
    await Promise.all(Array.from({ length: 20 }, () => c.grant(domain, 5)));
    expect(await events('gained', c.entityId)).toHaveLength(20);
    // 100 xp in steps of 5: levels 1, 2 and 3 (10, 40, 90) each reached exactly once.
    const levels = (await events('leveled', c.entityId)).map((e) => e.payload.newLevel as number);
    expect(levels.sort((a, b) => a - b)).toEqual([1, 2, 3]);
  });

  it('grantProficiency_rejected_publishesNothing', async () => {
    const { gameServiceId } = await smithingWorld(h);
    const c = crafter(h, gameServiceId);
    expect((await c.grant('weaving', 50)).status).toBe(400);
    expect(await events('gained', c.entityId)).toEqual([]);
  });
});
