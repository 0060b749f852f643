import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PrismaUnitOfWork, txClient } from '../../../src/infra/db/unit-of-work.js';
import { PrismaOutbox } from '../../../src/infra/outbox/prisma-outbox.js';
import { streamEvents } from '../../helpers/events.js';
import { startHarness, type Harness } from '../../helpers/harness.js';
import { crafter, smithingWorld } from './proficiency-fixtures.js';

/**
 * grantInTx is what session completion calls inside its own transaction; these tests
 * drive it the same way (a unit of work + the outbox) and check what a user then sees.
 */
let h: Harness;
let uow: PrismaUnitOfWork;
let outbox: PrismaOutbox;
beforeAll(async () => {
  h = await startHarness({ CRAFT_EXPERIENCE_SCALING_FACTOR: '1.5' });
  uow = new PrismaUnitOfWork(h.runtime.internals.prisma);
  outbox = new PrismaOutbox(h.config.eventSubjectPrefix, () => h.runtime.internals.relay.kick());
});
afterAll(() => h.close());

describe('proficiency grantInTx (crafting grants)', () => {
  it('grantInTx_committedWithItsEvents_scaledExperienceVisibleAndEventsPublished', async () => {
    const { gameServiceId, domain } = await smithingWorld(h);
    const c = crafter(h, gameServiceId);
    const result = await uow.run(async (tx) => {
      const r = await h.runtime.services.proficiency.grantInTx(tx, { ...c, domain, amount: 60 });
      await outbox.add(tx, r.events);
      return r;
    });
    expect(result).toMatchObject({
      experienceAmount: 90,
      newExperience: 90,
      previousLevel: 0,
      levelChanged: true,
      newLevel: 3,
      newPhase: 'novice',
    });
    expect(result.events.map((e) => e.topic)).toEqual(['proficiency.gained', 'proficiency.leveled']);
    expect((await c.get(domain)).body.proficiency).toMatchObject({ experience: 90, level: 3 });

    const gained = await streamEvents(h.runtime, `${h.config.eventSubjectPrefix}.proficiency.gained`, (p) => p.entityId === c.entityId);
    expect(gained.map((e) => e.payload.experienceAmount)).toEqual([90]);
  });

  it('grantInTx_callerRollsBack_nothingGrantedNothingPublished', async () => {
    const { gameServiceId, domain } = await smithingWorld(h);
    const c = crafter(h, gameServiceId);
    await expect(
      uow.run(async (tx) => {
        const r = await h.runtime.services.proficiency.grantInTx(tx, { ...c, domain, amount: 60 });
        await outbox.add(tx, r.events);
        throw new Error('completion failed later in the transaction');
      }),
    ).rejects.toThrow('completion failed');
    expect((await c.get(domain)).status).toBe(404);
    const gained = await streamEvents(h.runtime, `${h.config.eventSubjectPrefix}.proficiency.gained`, (p) => p.entityId === c.entityId);
    expect(gained).toEqual([]);
  });

  it('grantInTx_afterAnEarlierReadInTheTransaction_addsToTheLatestCommittedValue', async () => {
    const { gameServiceId, domain } = await smithingWorld(h);
    const c = crafter(h, gameServiceId);
    await c.grant(domain, 10);
    const result = await uow.run(async (tx) => {
      // The caller's transaction has already read (its snapshot now holds 10)...
      await txClient(tx).proficiency.findMany({ where: { entityId: c.entityId } });
      // ...when another request commits a grant.
      expect((await c.grant(domain, 5)).status).toBe(200);
      return h.runtime.services.proficiency.grantInTx(tx, { ...c, domain, amount: 2 });
    });
    expect(result.newExperience).toBe(18);
    expect((await c.get(domain)).body.proficiency.experience).toBe(18);
  });

  it('grantInTx_zeroAmount_writesNothingAndReturnsNoEvents', async () => {
    const { gameServiceId, domain } = await smithingWorld(h);
    const c = crafter(h, gameServiceId);
    const result = await uow.run((tx) => h.runtime.services.proficiency.grantInTx(tx, { ...c, domain, amount: 0 }));
    expect(result).toMatchObject({ experienceAmount: 0, newExperience: 0, levelChanged: false, newLevel: 0, events: [] });
    expect((await c.get(domain)).status).toBe(404);
  });

  it('levelOf_noRecordThenGranted_zeroThenLevel', async () => {
    const { gameServiceId, domain } = await smithingWorld(h);
    const c = crafter(h, gameServiceId);
    expect(await h.runtime.services.proficiency.levelOf(gameServiceId, c, domain)).toBe(0);
    await c.grant(domain, 160);
    expect(await h.runtime.services.proficiency.levelOf(gameServiceId, c, domain)).toBe(4);
  });
});
