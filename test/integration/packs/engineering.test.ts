import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditItems, expectConserved } from '../../helpers/audit.js';
import { startHarness, type Harness } from '../../helpers/harness.js';
import { contentsOf, crafterWith, itemMetadata, loadPackWorld, type PackWorld } from '../../helpers/packs.js';
import { ok } from '../../helpers/world.js';

/**
 * The engineering pack (seed 003) over HTTP. build_device takes one FRAME, one POWER and one
 * FUNCTION material (by tag) and a tinker_tools tool. Ruleset `engineering`: three `assemble`
 * stages, each adding performance x 34 to assembly (0..100); from 50 the device works. On it:
 * durability = the frame's; output = round(the power core's power x assembly / 100). The FUNCTION
 * material decides the device: gear -> clockwork_turret, spring -> spring_trap (else the recipe's
 * mechanical_device). Templates: iron_frame durability 40, brass_frame 28; coal_core power 10,
 * steam_core 25.
 */
let h: Harness;
let w: PackWorld;
const granted: Record<string, number> = {};

beforeAll(async () => {
  h = await startHarness();
  w = await loadPackWorld(h, 'engineering');
}, 60_000);
afterAll(async () => {
  await h?.close();
});

async function engineer(parts: string[]) {
  const items = [...parts, 'tinker_tools'].map((code) => ({ code, quantity: 1 }));
  for (const i of items) granted[i.code] = (granted[i.code] ?? 0) + 1;
  return crafterWith(h, w.gs, items);
}

describe('engineering pack', () => {
  it('ironFrameCoalCoreAndGears_savedAfterTheFirstStage_resumeIntoAClockworkTurret', async () => {
    const c = await engineer(['iron_frame', 'coal_core', 'gear_assembly']);
    const { sessionId } = await ok(h, '/craft/session/start', { recipeId: w.recipes.build_device!, entityId: c.entityId, entityType: c.entityType, inventoryId: c.inventoryId });
    await ok(h, '/craft/session/advance', { sessionId, action: 'assemble', performance: 1 });
    // The work is saved for later: the parts stay in escrow.
    expect((await ok(h, '/craft/session/pause', { sessionId })).session.status).toBe('paused');
    expect(await contentsOf(h, w.gs, c.inventoryId)).toEqual({ tinker_tools: 1 });
    await ok(h, '/craft/session/resume', { sessionId });
    await ok(h, '/craft/session/advance', { sessionId, action: 'assemble', performance: 1 });
    const done = await ok(h, '/craft/session/advance', { sessionId, action: 'assemble', performance: 0.5 });
    // 34 + 34 + 17 = 85: working.
    expect(done.rules.pools).toEqual({ assembly: 85 });
    expect(done.status).toBe('completed');
    expect(done.rules.outcomes[0]).toMatchObject({ band: 'working', variant: 'clockwork_turret' });
    // durability 40 (iron frame); output round(10 x 0.85) = round(8.5) = 9.
    expect(await itemMetadata(h, done.outputItemIds[0])).toMatchObject({ quality: 0.85, attributes: { durability: 40, output: 9 } });
    expect(await contentsOf(h, w.gs, c.inventoryId)).toEqual({ tinker_tools: 1, clockwork_turret: 1 });
  });

  it('brassFrameSteamCoreAndASpring_makeASpringTrap', async () => {
    const c = await engineer(['brass_frame', 'steam_core', 'spring_coil']);
    const { sessionId } = await ok(h, '/craft/session/start', { recipeId: w.recipes.build_device!, entityId: c.entityId, entityType: c.entityType, inventoryId: c.inventoryId });
    for (let i = 0; i < 2; i++) await ok(h, '/craft/session/advance', { sessionId, action: 'assemble', performance: 1 });
    const done = await ok(h, '/craft/session/advance', { sessionId, action: 'assemble', performance: 1 });
    // 34 x 3 = 102, capped at 100.
    expect(done.rules.pools).toEqual({ assembly: 100 });
    // durability 28 (brass); output round(25 x 1.0) = 25.
    expect(await itemMetadata(h, done.outputItemIds[0])).toMatchObject({ quality: 1, attributes: { durability: 28, output: 25 } });
    expect(await contentsOf(h, w.gs, c.inventoryId)).toEqual({ tinker_tools: 1, spring_trap: 1 });
  });

  it('everyUnitIsAccountedFor', async () => {
    expectConserved(await auditItems(h, w.gs), granted);
  });
});
