import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditItems, expectConserved } from '../../helpers/audit.js';
import { startHarness, type Harness } from '../../helpers/harness.js';
import { expectError, forgeWorld, ok, startBody, type World } from '../../helpers/world.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h.close());

/** The seed's "Chaos Reforge": reroll every modifier of an uncorrupted, unmirrored item. */
const chaosReforge = {
  code: 'chaos_reforge',
  recipeType: 'modification',
  domain: 'enchanting',
  isDefaultKnown: true,
  inputs: [{ itemTemplateCode: 'chaos_reagent', quantity: 1 }],
  outputs: [],
  targetRequirements: {
    requiredItemStates: [
      { field: 'IsCorrupted', expected: false },
      { field: 'IsMirrored', expected: false },
    ],
  },
  affixOperation: 'reroll_all',
  affixOperationConfig: {},
  steps: [{ code: 'apply', name: 'Apply', skillCheck: false }],
  proficiencyRequirements: [],
  experienceGrants: [],
};

/** The seed's "Inscribe Fire Logos": a fire-weighted suffix on an identified, uncorrupted item. */
const inscribeFireLogos = {
  code: 'inscribe_fire_logos',
  recipeType: 'modification',
  domain: 'enchanting',
  isDefaultKnown: true,
  inputs: [
    { itemTemplateCode: 'fire_reagent', quantity: 2 },
    { itemTemplateCode: 'inscription_ink', quantity: 1 },
  ],
  outputs: [],
  targetRequirements: {
    requiredItemStates: [
      { field: 'IsCorrupted', expected: false },
      { field: 'IsIdentified', expected: true },
    ],
    requiredAffixSlotType: 'suffix',
  },
  affixOperation: 'apply_random',
  affixOperationConfig: { weightModifiers: { fire: 5.0, cold: 0.0, lightning: 0.0 }, slotType: 'suffix' },
  steps: [
    { code: 'prepare_channels', name: 'Prepare channels', stationType: 'enchanting_table', durationSeconds: 0, skillCheck: true },
    { code: 'flow_pneuma', name: 'Flow pneuma', stationType: 'enchanting_table', toolCategory: 'inscription_tools', skillCheck: true },
    { code: 'stabilize', name: 'Stabilize', stationType: 'enchanting_table', skillCheck: true },
  ],
  proficiencyRequirements: [{ domain: 'enchanting', minimumLevel: 5 }],
  qualityWeights: { materialQuality: 0.2, proficiencyLevel: 0.6, toolQuality: 0.2 },
  experienceGrants: [{ domain: 'enchanting', baseExperience: 30 }],
};

async function enchantingWorld(recipe: Record<string, unknown>) {
  const w = await forgeWorld(h, { recipe });
  for (const [code, category] of [
    ['chaos_reagent', 'currency'],
    ['fire_reagent', 'reagent'],
    ['inscription_ink', 'reagent'],
    ['inscription_kit', 'inscription_tools'],
  ]) {
    await ok(h, '/dev/item/template/create', { gameServiceId: w.gs, code, category });
  }
  const def = (code: string, slotType: string, tags: string[], tier = 1) =>
    ok(h, '/dev/affix/definition/create', { gameServiceId: w.gs, code, slotType, tags, tier, weight: 100, valueMin: 1, valueMax: 50, minItemLevel: 0 });
  await def('of_flames', 'suffix', ['fire']);
  await def('of_frost', 'suffix', ['cold']);
  await def('of_storms', 'suffix', ['lightning']);
  await def('sharp', 'prefix', ['physical']);
  await def('heavy', 'prefix', ['physical'], 2);
  const sword = await w.grant('iron_sword', 1, 0.7);
  return { w, sword };
}

async function affixesOf(itemInstanceId: string) {
  const { gameServiceId } = await h.runtime.internals.prisma.stubItemInstance.findUniqueOrThrow({ where: { id: itemInstanceId } });
  return (await ok(h, '/dev/affix/item/get', { itemInstanceId, gameServiceId })).item;
}

async function setLevel(w: World, domain: string, level: number) {
  await ok(h, '/craft/proficiency/set', { gameServiceId: w.gs, entityId: w.entityId, entityType: w.entityType, domain, targetValue: 10 * level * level });
}

describe('modification recipes', () => {
  it('inscribeFireLogos_seedExample_addsAFireSuffixAndConsumesTheReagents', async () => {
    const { w, sword } = await enchantingWorld(inscribeFireLogos);
    await setLevel(w, 'enchanting', 6);
    await w.grant('fire_reagent', 2, 0.6);
    await w.grant('inscription_ink', 1, 0.6);
    await w.grant('inscription_kit', 1, 0.9);
    const table = await ok(h, '/craft/station/register', { gameServiceId: w.gs, stationType: 'enchanting_table', quality: 0.7 });

    const started = await ok(h, '/craft/session/start', startBody(w, { stationId: table.stationId, targetItemId: sword }));
    // The sword is locked for the session: it left the inventory for the escrow.
    expect((await w.contents()).iron_sword).toBeUndefined();
    for (const stepCode of ['prepare_channels', 'flow_pneuma', 'stabilize']) {
      await ok(h, '/craft/session/advance', { sessionId: started.sessionId, stepCode, performance: 0.9 });
    }
    const session = (await ok(h, '/craft/session/get', { sessionId: started.sessionId })).session;
    expect(session).toMatchObject({ status: 'completed', outputItemIds: [sword] });

    const item = await affixesOf(sword);
    // cold and lightning are weighted 0: only the fire suffix can roll.
    expect(item.affixes.map((a: any) => a.code)).toEqual(['of_flames']);
    expect(await w.contents()).toEqual({ iron_sword: 1, inscription_kit: 1 });
    const audit = await auditItems(h, w.gs);
    expect(audit.fire_reagent).toMatchObject({ live: 0, consumed: 2 });
    expectConserved(audit, { iron_sword: 1, fire_reagent: 2, inscription_ink: 1, inscription_kit: 1 });
  });

  it('chaosReforge_seedExample_rerollsEveryAffixAndKeepsTheCount', async () => {
    const { w, sword } = await enchantingWorld(chaosReforge);
    await w.grant('chaos_reagent', 1);
    // The sword starts with two modifiers, put there through the affix service itself.
    await h.runtime.internals.stubs.affix.apply({ itemInstanceId: sword, definitionId: (await h.runtime.internals.stubs.affix.getDefinition({ gameServiceId: w.gs, code: 'of_frost' }))!.definitionId }, `test:${sword}:a1`);
    await h.runtime.internals.stubs.affix.apply({ itemInstanceId: sword, definitionId: (await h.runtime.internals.stubs.affix.getDefinition({ gameServiceId: w.gs, code: 'sharp' }))!.definitionId }, `test:${sword}:a2`);
    const before = await affixesOf(sword);
    expect(before.affixes).toHaveLength(2);

    const { sessionId } = await ok(h, '/craft/session/start', startBody(w, { stationId: undefined, targetItemId: sword }));
    const done = await ok(h, '/craft/session/advance', { sessionId, stepCode: 'apply' });
    expect(done.status).toBe('completed');
    const after = await affixesOf(sword);
    expect(after.affixes).toHaveLength(2);
    expect(await w.contents()).toEqual({ iron_sword: 1 });
    expectConserved(await auditItems(h, w.gs), { iron_sword: 1, chaos_reagent: 1 });
  });

  it('chaosReforge_corruptedTarget_refusedAtStartAndNothingMoves', async () => {
    const { w, sword } = await enchantingWorld(chaosReforge);
    await w.grant('chaos_reagent', 1);
    await ok(h, '/dev/affix/item/set-state', { itemInstanceId: sword, gameServiceId: w.gs, isCorrupted: true });
    const res = await h.post('/craft/session/start', startBody(w, { stationId: undefined, targetItemId: sword }));
    expectError(res, 400, 'TARGET_ITEM_INVALID');
    expect(await w.contents()).toEqual({ iron_sword: 1, chaos_reagent: 1 });
  });
});

describe('without an affix service', () => {
  let bare: Harness;
  beforeAll(async () => {
    bare = await startHarness({ CRAFT_AFFIX_SERVICE: 'none' });
  });
  afterAll(() => bare.close());

  it('modificationRecipe_noAffixService_answers503AndProductionStillWorks', async () => {
    const w = await forgeWorld(bare, { recipe: { ...chaosReforge, inputs: [] } });
    const sword = await w.grant('iron_sword', 1);
    const res = await bare.post('/craft/session/start', startBody(w, { stationId: undefined, targetItemId: sword }));
    expectError(res, 503, 'AFFIX_SERVICE_UNAVAILABLE');

    const smith = await forgeWorld(bare, { recipe: { steps: [{ code: 'only', name: 'Only' }] } });
    await smith.grant('iron_ingot', 3);
    await smith.grant('leather_strip', 1);
    const { sessionId } = await ok(bare, '/craft/session/start', startBody(smith, { stationId: undefined }));
    expect((await ok(bare, '/craft/session/advance', { sessionId, stepCode: 'only' })).status).toBe('completed');
  });
});
