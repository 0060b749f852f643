// CRAFT_PROFICIENCY_SOURCE=seed: proficiency is lib-seed growth (the seed stub in standalone
// mode), one `proficiency:<domain>` seed per entity and domain; and the seed document's
// fallback when the seed service is unavailable (checks skip, experience not granted).
import { randomUUID } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { SEED_OPS } from '../../../src/clients/stubs/index.js';
import { PrismaUnitOfWork } from '../../../src/infra/db/unit-of-work.js';
import { PrismaOutbox } from '../../../src/infra/outbox/prisma-outbox.js';
import { streamEvents } from '../../helpers/events.js';
import { startHarness, type Harness } from '../../helpers/harness.js';
import { expectError, forgeWorld, newCrafter, ok, startBody, swordMaterials, type World } from '../../helpers/world.js';
import { crafter, smithingWorld } from './proficiency-fixtures.js';

const topic = (h: Harness, name: string) => `${h.config.eventSubjectPrefix}.proficiency.${name}`;
const eventsOf = (h: Harness, name: string, entityId: string) => streamEvents(h.runtime, topic(h, name), (p) => p.entityId === entityId);

/** The entity's seeds as the seed service holds them. */
const seedsOf = (h: Harness, entityId: string, entityType = 'character') =>
  h.runtime.internals.stubs.seed.getByOwner({ ownerId: entityId, ownerType: entityType });

async function totalGrowth(h: Harness, gameServiceId: string, entityId: string, domain = 'blacksmithing') {
  const seeds = await seedsOf(h, entityId);
  return seeds.find((s) => s.gameServiceId === gameServiceId && s.seedTypeCode === `proficiency:${domain}`)?.totalGrowth ?? null;
}

/** A single-step sword recipe: the session completes when its one step is advanced. */
const oneStep = { steps: [{ code: 'only', name: 'Only' }] };

describe('proficiency source: seed', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ CRAFT_PROFICIENCY_SOURCE: 'seed' });
  });
  afterEach(() => h.runtime.internals.faults.disarm());
  afterAll(() => h.close());

  it('recipeCreate_registersTheDomainSeedTypeWithTheConfiguredPhases', async () => {
    const { gameServiceId } = await smithingWorld(h);
    const row = await h.runtime.internals.prisma.stubSeedType.findUnique({
      where: { gameServiceId_code: { gameServiceId, code: 'proficiency:blacksmithing' } },
    });
    expect(JSON.parse(row!.phases)).toEqual([
      { name: 'novice', threshold: 0 },
      { name: 'apprentice', threshold: 100 },
      { name: 'journeyman', threshold: 500 },
      { name: 'expert', threshold: 1500 },
      { name: 'master', threshold: 4000 },
    ]);
  });

  it('recipeSeedAndUpdate_registerEveryDomainTheRecipesName', async () => {
    const gs = await h.gameService();
    await ok(h, '/craft/recipe/seed', {
      gameServiceId: gs,
      recipes: [
        {
          code: 'brew',
          recipeType: 'production',
          domain: 'alchemy',
          category: 'potions',
          inputs: [{ itemTemplateCode: 'herb', quantity: 1 }],
          steps: [{ code: 'mix', name: 'Mix' }],
          outputs: [{ itemTemplateCode: 'potion', quantity: 1, qualityInfluence: 0.5 }],
          proficiencyRequirements: [{ domain: 'herbalism', minimumLevel: 1 }],
        },
      ],
    });
    const recipe = (await ok(h, '/craft/recipe/get', { gameServiceId: gs, code: 'brew' })).recipe;
    await ok(h, '/craft/recipe/update', { recipeId: recipe.recipeId, experienceGrants: [{ domain: 'glassblowing', baseExperience: 5 }] });
    const codes = await h.runtime.internals.prisma.stubSeedType.findMany({ where: { gameServiceId: gs }, orderBy: { code: 'asc' } });
    expect(codes.map((c) => c.code)).toEqual(['proficiency:alchemy', 'proficiency:glassblowing', 'proficiency:herbalism']);
  });

  it('grantSetGetList_goThroughTheSeed_experienceIsTheSeedTotalGrowth', async () => {
    const { gameServiceId, domain } = await smithingWorld(h);
    const c = crafter(h, gameServiceId);

    const granted = await c.grant(domain, 90);
    expect(granted.status).toBe(200);
    expect(granted.body).toEqual({ newExperience: 90, levelChanged: true, newLevel: 3, newPhase: 'novice' });
    const seeds = await seedsOf(h, c.entityId);
    expect(seeds).toEqual([
      expect.objectContaining({ gameServiceId, seedTypeCode: 'proficiency:blacksmithing', totalGrowth: 90, phase: 'novice' }),
    ]);

    const set = await c.set(domain, 500);
    expect(set.status).toBe(200);
    expect(set.body.proficiency).toEqual({ domain, level: 7, experience: 500, phase: 'journeyman', experienceForNextLevel: 640 });
    expect(await totalGrowth(h, gameServiceId, c.entityId)).toBe(500);

    expect((await c.get(domain)).body.proficiency).toEqual(set.body.proficiency);
    expect((await c.list()).body.proficiencies).toEqual([set.body.proficiency]);
    // Still one seed, and nothing in the local table.
    expect(await seedsOf(h, c.entityId)).toHaveLength(1);
    expect(await h.runtime.internals.prisma.proficiency.count({ where: { entityId: c.entityId } })).toBe(0);

    expect((await eventsOf(h, 'gained', c.entityId)).map((e) => e.payload.experienceAmount)).toEqual([90]);
    expect((await eventsOf(h, 'leveled', c.entityId)).map((e) => [e.payload.newLevel, e.payload.newPhase])).toEqual([
      [3, 'novice'],
      [7, 'journeyman'],
    ]);
  });

  it('set_lowerThanTheSeedGrowth_returns400AndTheSeedKeepsItsGrowth', async () => {
    const { gameServiceId, domain } = await smithingWorld(h);
    const c = crafter(h, gameServiceId);
    await c.set(domain, 200);
    const res = await c.set(domain, 39);
    expectError(res, 400, 'VALIDATION_FAILED');
    expect(res.body.message).toMatch(/only grows/);
    expect(await totalGrowth(h, gameServiceId, c.entityId)).toBe(200);
    // Setting the same value again is a no-op.
    expect((await c.set(domain, 200)).body.proficiency).toMatchObject({ experience: 200, level: 4 });
    expect((await eventsOf(h, 'leveled', c.entityId)).map((e) => e.payload.newLevel)).toEqual([4]);
  });

  it('getAndList_noSeed_404AndEmpty_otherSeedsOfTheOwnerIgnored', async () => {
    const { gameServiceId, domain } = await smithingWorld(h);
    const c = crafter(h, gameServiceId);
    expectError(await c.get(domain), 404, 'PROFICIENCY_NOT_FOUND');
    expect((await c.list()).body.proficiencies).toEqual([]);
    // A seed of another kind owned by the same entity is not a proficiency.
    const seed = h.runtime.internals.stubs.seed;
    await seed.registerType({ gameServiceId, code: 'garden', phases: [{ name: 'sprout', threshold: 0 }] });
    await seed.create({ ownerId: c.entityId, ownerType: 'character', gameServiceId, seedTypeCode: 'garden' }, `t:${randomUUID()}`);
    expect((await c.list()).body.proficiencies).toEqual([]);
  });

  it('concurrentGrants_firstUse_oneSeedAndEveryGrantCounted', async () => {
    const { gameServiceId, domain } = await smithingWorld(h);
    const c = crafter(h, gameServiceId);
    const results = await Promise.all(Array.from({ length: 12 }, () => c.grant(domain, 10)));
    expect(results.map((r) => r.status)).toEqual(Array(12).fill(200));
    expect(await seedsOf(h, c.entityId)).toHaveLength(1);
    expect(await totalGrowth(h, gameServiceId, c.entityId)).toBe(120);
    expect((await eventsOf(h, 'gained', c.entityId)).length).toBe(12);
    expect((await eventsOf(h, 'leveled', c.entityId)).map((e) => e.payload.newLevel).sort()).toEqual([1, 2, 3]);
  });

  it('grant_seedTypeNotRegisteredYet_registeredOnDemand', async () => {
    const { gameServiceId, domain } = await smithingWorld(h);
    // The type vanished (or its registration at recipe time failed): the first grant registers it.
    await h.runtime.internals.prisma.stubSeedType.deleteMany({ where: { gameServiceId } });
    const c = crafter(h, gameServiceId);
    expect((await c.grant(domain, 100)).body).toMatchObject({ newExperience: 100, newPhase: 'apprentice' });
    expect(await totalGrowth(h, gameServiceId, c.entityId)).toBe(100);
  });

  it('grant_seedFailsAfterRecordingTheGrowth_retriedUnderTheSameKeyCountedOnce', async () => {
    const { gameServiceId, domain } = await smithingWorld(h);
    const c = crafter(h, gameServiceId);
    h.runtime.internals.faults.arm('seed.recordGrowth', { times: 1, phase: 'after' });
    expect((await c.grant(domain, 40)).body).toMatchObject({ newExperience: 40, newLevel: 2 });
    expect(await totalGrowth(h, gameServiceId, c.entityId)).toBe(40);
  });

  it('grantInTx_sameKeyInARetriedTransaction_seedGrowsOnceAndTheCommittedTryCarriesTheEvents', async () => {
    const { gameServiceId, domain } = await smithingWorld(h);
    const c = crafter(h, gameServiceId);
    const uow = new PrismaUnitOfWork(h.runtime.internals.prisma);
    const outbox = new PrismaOutbox(h.config.eventSubjectPrefix, () => h.runtime.internals.relay.kick());
    const input = { ...c, domain, amount: 30, idempotencyKey: `craft:${randomUUID()}:xp:${domain}:${c.entityId}` };
    await expect(
      uow.run(async (tx) => {
        await outbox.add(tx, (await h.runtime.services.proficiency.grantInTx(tx, input)).events);
        throw new Error('the completion transaction failed after the grant');
      }),
    ).rejects.toThrow('completion transaction failed');
    const again = await uow.run(async (tx) => {
      const r = await h.runtime.services.proficiency.grantInTx(tx, input);
      await outbox.add(tx, r.events);
      return r;
    });
    expect(again).toMatchObject({ experienceAmount: 30, newExperience: 30, previousLevel: 0, newLevel: 1, levelChanged: true });
    expect(await totalGrowth(h, gameServiceId, c.entityId)).toBe(30);
    expect((await eventsOf(h, 'gained', c.entityId)).map((e) => e.payload.experienceAmount)).toEqual([30]);
  });

  it('grantInTx_withoutIdempotencyKey_refused', async () => {
    const { gameServiceId, domain } = await smithingWorld(h);
    const uow = new PrismaUnitOfWork(h.runtime.internals.prisma);
    await expect(
      uow.run((tx) => h.runtime.services.proficiency.grantInTx(tx, { ...crafter(h, gameServiceId), domain, amount: 5 })),
    ).rejects.toThrow(/idempotencyKey/);
  });

  describe('crafting', () => {
    /** Starts a one-step session and leaves it in `completing` (the item service fails at the output). */
    async function completingSession(w: World) {
      await swordMaterials(w);
      const { sessionId, contractId } = await ok(h, '/craft/session/start', startBody(w, { stationId: undefined }));
      h.runtime.internals.faults.arm('item.createInstance', { times: 100 });
      const last = await ok(h, '/craft/session/advance', { sessionId, stepCode: 'only' });
      h.runtime.internals.faults.disarm('item.createInstance');
      expect(last.status).toBe('completing');
      return { sessionId, contractId };
    }

    it('completedSession_concurrentCompletionCalls_experienceGrantedOnceAndEventsOnce', async () => {
      // forgeWorld sets 490 (level 7) through /craft/proficiency/set: that is seed growth too.
      const w = await forgeWorld(h, { recipe: oneStep, level: 7 });
      expect(await totalGrowth(h, w.gs, w.entityId)).toBe(490);
      const { sessionId, contractId } = await completingSession(w);
      // The seed's first answer to the growth gets lost once: recorded, then retried under its key.
      h.runtime.internals.faults.arm('seed.recordGrowth', { times: 1, phase: 'after' });
      const results = await Promise.all(
        Array.from({ length: 20 }, () => h.post('/craft/internal/complete-session', { sessionId, contractId })),
      );
      expect(results.map((r) => r.status)).toEqual(Array(20).fill(200));
      expect(h.runtime.internals.faults.injectedCount('seed.recordGrowth')).toBe(1);
      expect(new Set(results.map((r) => r.body.status))).toEqual(new Set(['completed']));
      // Once more, after the fact.
      expect((await ok(h, '/craft/internal/complete-session', { sessionId, contractId })).status).toBe('completed');

      // 50 base + 25 first-craft bonus.
      expect(await totalGrowth(h, w.gs, w.entityId)).toBe(565);
      const prof = await ok(h, '/craft/proficiency/get', { gameServiceId: w.gs, entityId: w.entityId, entityType: 'character', domain: 'blacksmithing' });
      expect(prof.proficiency).toMatchObject({ experience: 565, level: 7, phase: 'journeyman' });
      const gained = await eventsOf(h, 'gained', w.entityId);
      expect(gained.map((e) => e.payload.experienceAmount)).toEqual([75]);
      const completed = await streamEvents(h.runtime, `${h.config.eventSubjectPrefix}.session.completed`, (p) => p.sessionId === sessionId);
      expect(completed).toHaveLength(1);
    });

    it('completedSession_levelReached_leveledEventWithTheSeedPhase', async () => {
      const w = await forgeWorld(h, { recipe: oneStep, level: 9 }); // 810; level 10 at 1000
      await ok(h, '/craft/proficiency/grant', { gameServiceId: w.gs, entityId: w.entityId, entityType: 'character', domain: 'blacksmithing', amount: 140 });
      await swordMaterials(w);
      const { sessionId } = await ok(h, '/craft/session/start', startBody(w, { stationId: undefined }));
      expect((await ok(h, '/craft/session/advance', { sessionId, stepCode: 'only' })).status).toBe('completed');
      expect(await totalGrowth(h, w.gs, w.entityId)).toBe(1025);
      const leveled = await eventsOf(h, 'leveled', w.entityId);
      expect(leveled.at(-1)!.payload).toMatchObject({ newLevel: 10, newPhase: 'journeyman', domain: 'blacksmithing', gameServiceId: w.gs });
    });

    it('start_levelBelowTheRequirement_refusedWithTheSeedLevel', async () => {
      const w = await forgeWorld(h, { recipe: oneStep, level: 2 });
      await swordMaterials(w);
      const res = await h.post('/craft/session/start', startBody(w, { stationId: undefined }));
      expectError(res, 400, 'PROFICIENCY_TOO_LOW');
    });
  });

  describe('fallback: seed service unavailable', () => {
    const seedDown = () => {
      for (const op of SEED_OPS) h.runtime.internals.faults.arm(op);
    };

    it('session_requiresLevel3_entityWithoutProficiency_startsAndCompletesWithoutExperience', async () => {
      const w = await forgeWorld(h, { recipe: oneStep });
      const other = await newCrafter(h, w.gs);
      const materials = { ...w, grant: (code: string, quantity: number, quality?: number) => w.grant(code, quantity, quality, other.inventoryId) };
      await swordMaterials(materials);
      const body = { ...startBody(w, { stationId: undefined }), entityId: other.entityId, inventoryId: other.inventoryId };

      // With the seed up, the requirement (level 3) stops this entity.
      expectError(await h.post('/craft/session/start', body), 400, 'PROFICIENCY_TOO_LOW');

      seedDown();
      const { sessionId } = await ok(h, '/craft/session/start', body);
      const done = await ok(h, '/craft/session/advance', { sessionId, stepCode: 'only' });
      expect(done.status).toBe('completed');
      expect(done.outputItemIds).toHaveLength(1);
      expect(h.runtime.internals.faults.injectedCount('seed.getByOwner')).toBeGreaterThan(0);

      h.runtime.internals.faults.disarm();
      expect(await seedsOf(h, other.entityId)).toEqual([]);
      expect(await h.runtime.internals.prisma.proficiency.count({ where: { entityId: other.entityId } })).toBe(0);
      expect(await eventsOf(h, 'gained', other.entityId)).toEqual([]);
      const completed = await streamEvents(h.runtime, `${h.config.eventSubjectPrefix}.session.completed`, (p) => p.sessionId === sessionId);
      expect(completed).toHaveLength(1);
    });

    it('grantSetGetList_seedDown_503DependencyUnavailable', async () => {
      const { gameServiceId, domain } = await smithingWorld(h);
      const c = crafter(h, gameServiceId);
      seedDown();
      for (const res of [await c.grant(domain, 10), await c.set(domain, 10), await c.get(domain), await c.list()]) {
        expectError(res, 503, 'DEPENDENCY_UNAVAILABLE');
        expect(res.body.details).toEqual({ dependency: 'seed' });
      }
      h.runtime.internals.faults.disarm();
      expect(await seedsOf(h, c.entityId)).toEqual([]);
      expect(await eventsOf(h, 'gained', c.entityId)).toEqual([]);
    });

    it('recipeCreate_seedDown_recipeCreatedAndTheTypeRegisteredOnFirstGrant', async () => {
      seedDown();
      const { gameServiceId, domain } = await smithingWorld(h);
      h.runtime.internals.faults.disarm();
      expect(await h.runtime.internals.prisma.stubSeedType.count({ where: { gameServiceId } })).toBe(0);
      const c = crafter(h, gameServiceId);
      expect((await c.grant(domain, 5)).status).toBe(200);
      expect(await h.runtime.internals.prisma.stubSeedType.count({ where: { gameServiceId } })).toBe(1);
    });

    it('canCraft_seedDown_proficiencyRequirementCountsAsMet', async () => {
      const w = await forgeWorld(h, { recipe: oneStep, level: 1 });
      await swordMaterials(w);
      const ask = () => h.post('/craft/query/can-craft', { recipeId: w.recipeId, entityId: w.entityId, entityType: 'character', inventoryId: w.inventoryId });
      const up = await ask();
      seedDown();
      const down = await ask();
      expect({ up: up.status, down: down.status }).toEqual({ up: 200, down: 200 });
      expect(up.body.canCraft).toBe(false);
      expect(down.body.canCraft).toBe(true);
    });
  });
});

describe('proficiency source: seed, configured levels and phases', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({
      CRAFT_PROFICIENCY_SOURCE: 'seed',
      CRAFT_PHASE_THRESHOLDS: 'green:0,seasoned:50,grand:200',
      CRAFT_LEVEL_EXPERIENCE_BASE: '5',
      CRAFT_MAX_PROFICIENCY_LEVEL: '4',
    });
  });
  afterAll(() => h.close());

  it('levelsFollowTheConfiguredBaseAndCap_phasesAreTheSeedTypePhases', async () => {
    const { gameServiceId, domain } = await smithingWorld(h);
    const type = await h.runtime.internals.prisma.stubSeedType.findUnique({
      where: { gameServiceId_code: { gameServiceId, code: 'proficiency:blacksmithing' } },
    });
    expect(JSON.parse(type!.phases)).toEqual([
      { name: 'green', threshold: 0 },
      { name: 'seasoned', threshold: 50 },
      { name: 'grand', threshold: 200 },
    ]);
    const c = crafter(h, gameServiceId);
    // Level L at 5 * L^2: 45 -> 3, 80 -> 4 (the cap).
    expect((await c.grant(domain, 49)).body).toEqual({ newExperience: 49, levelChanged: true, newLevel: 3, newPhase: 'green' });
    expect((await c.grant(domain, 1)).body).toEqual({ newExperience: 50, levelChanged: false, newLevel: null, newPhase: 'seasoned' });
    expect((await c.set(domain, 200)).body.proficiency).toEqual({ domain, level: 4, experience: 200, phase: 'grand', experienceForNextLevel: null });

    // The phase is the seed's: change the seed type's phases and the answer follows.
    await h.runtime.internals.stubs.seed.registerType({
      gameServiceId,
      code: 'proficiency:blacksmithing',
      phases: [{ name: 'green', threshold: 0 }, { name: 'legend', threshold: 150 }],
    });
    expect((await c.get(domain)).body.proficiency).toMatchObject({ level: 4, experience: 200, phase: 'legend' });
  });
});
