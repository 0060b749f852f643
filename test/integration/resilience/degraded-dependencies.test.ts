import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { streamEvents } from '../../helpers/events.js';
import { forgeIronSword, simpleRecipes } from '../../helpers/fixtures.js';
import { startHarness, type Harness } from '../../helpers/harness.js';

// Nothing listens on these ports: the dependency is "down" for this harness only.
const DEAD_REDIS = 'redis://127.0.0.1:6399';
const DEAD_NATS = 'nats://127.0.0.1:4299';

describe('Redis unavailable', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ REDIS_URL: DEAD_REDIS });
  });
  afterAll(() => h.close());

  it('recipes_withoutRedis_readsAndWritesStillWorkFromMysql', async () => {
    const gs = await h.gameService();
    const created = await h.post('/craft/recipe/create', forgeIronSword(gs));
    expect(created.status).toBe(200);
    const recipeId = created.body.recipeId;
    expect((await h.post('/craft/recipe/get', { recipeId })).body.recipe.code).toBe('forge_iron_sword');

    const updates = await Promise.all(['a', 'b', 'c'].map((category) => h.post('/craft/recipe/update', { recipeId, category })));
    expect(updates.map((u) => u.status)).toEqual([200, 200, 200]);
    const row = await h.runtime.internals.prisma.recipe.findUniqueOrThrow({ where: { id: recipeId } });
    expect(row.version).toBe(4); // three updates, none lost: the version check serialised them
    expect((await h.post('/craft/recipe/list', { gameServiceId: gs, domain: 'blacksmithing' })).body.totalCount).toBe(1);
  });

  it('readyz_withoutRedis_reportsDegraded', async () => {
    const res = await h.app.inject({ method: 'GET', url: '/readyz' });
    expect(res.statusCode).toBe(503);
    expect(res.json()).toMatchObject({
      status: 'degraded',
      checks: { mysql: { status: 'up' }, redis: { status: 'down' }, nats: { status: 'up' } },
    });
  });
});

describe('NATS unavailable', () => {
  it('events_whileNatsDown_waitInTheOutboxThenArriveOnceEach', async () => {
    const down = await startHarness({ NATS_URL: DEAD_NATS });
    let gs: string;
    try {
      gs = await down.gameService();
      const seeded = await down.post('/craft/recipe/seed', { gameServiceId: gs, recipes: simpleRecipes(6) });
      expect(seeded.body.createdCount).toBe(6); // state commits without NATS
      const ready = await down.app.inject({ method: 'GET', url: '/readyz' });
      expect(ready.json().checks.nats.status).toBe('down');
      const pending = await down.runtime.internals.prisma.outboxEvent.count({
        where: { publishedAt: null, payload: { contains: gs } },
      });
      expect(pending).toBe(6);
    } finally {
      await down.close();
    }

    // Two instances come up with NATS reachable and race to relay the same rows.
    const [a, b] = await Promise.all([startHarness(), startHarness()]);
    try {
      await Promise.all([a.runtime.internals.relay.flush(), b.runtime.internals.relay.flush()]);
      const left = await a.runtime.internals.prisma.outboxEvent.count({ where: { publishedAt: null, payload: { contains: gs } } });
      expect(left).toBe(0);
      const events = await streamEvents(a.runtime, `${a.config.eventSubjectPrefix}.recipe.created`, (p) => p.gameServiceId === gs);
      expect(events).toHaveLength(6);
      expect(new Set(events.map((e) => e.payload.code)).size).toBe(6);
    } finally {
      await Promise.all([a.close(), b.close()]);
    }
  });
});
