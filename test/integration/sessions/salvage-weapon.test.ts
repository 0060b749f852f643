import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rollExtraction } from '../../../src/domain/extraction/extraction.js';
import { rngFor } from '../../../src/domain/rng.js';
import { auditItems, expectConserved } from '../../helpers/audit.js';
import { startHarness, type Harness } from '../../helpers/harness.js';
import { expectError, forgeWorld, ok, startBody } from '../../helpers/world.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h.close());

/** The seed's "Salvage Weapon", exactly as written there. */
const salvageWeapon = {
  code: 'salvage_weapon',
  recipeType: 'extraction',
  domain: 'blacksmithing',
  isDefaultKnown: true,
  inputs: [],
  outputs: [],
  targetRequirements: { validItemClasses: ['one_hand_sword', 'two_hand_sword', 'axe', 'mace'] },
  steps: [{ code: 'disassemble', name: 'Disassemble', stationType: 'forge', toolCategory: 'hammer', skillCheck: true }],
  extractionOutputs: [
    { itemTemplateCode: 'iron_ingot', baseQuantity: 1, quantityVariance: 1, probability: 1.0 },
    { itemTemplateCode: 'leather_strip', baseQuantity: 0, quantityVariance: 1, probability: 0.5 },
  ],
  proficiencyRequirements: [{ domain: 'blacksmithing', minimumLevel: 1 }],
};

async function salvageWorld() {
  const w = await forgeWorld(h, { recipe: salvageWeapon });
  const sword = await w.grant('iron_sword', 1, 0.7);
  await w.grant('hammer', 1, 0.8);
  return { w, sword };
}

describe('Salvage Weapon (extraction)', () => {
  it('salvageWeapon_seedExample_swordDestroyedAtCompletionAndOutputsRolledFromTheSessionSeed', async () => {
    const { w, sword } = await salvageWorld();
    const started = await ok(h, '/craft/session/start', startBody(w, { targetItemId: sword }));
    // The sword is locked in the session's escrow, not destroyed yet.
    expect(await w.contents()).toEqual({ hammer: 1 });
    expect((await auditItems(h, w.gs)).iron_sword).toMatchObject({ live: 1, consumed: 0 });

    const done = await ok(h, '/craft/session/advance', { sessionId: started.sessionId, stepCode: 'disassemble', performance: 0.9 });
    expect(done.status).toBe('completed');

    const row = await h.runtime.internals.prisma.craftSession.findUniqueOrThrow({ where: { id: started.sessionId } });
    const expected = rollExtraction(salvageWeapon.extractionOutputs, done.finalQuality, rngFor(row.rngSeed, 'extraction'));
    const contents = await w.contents();
    for (const o of expected) expect(contents[o.itemTemplateCode]).toBe(o.quantity);
    expect(done.outputItemIds).toHaveLength(expected.length);
    expect(contents.iron_sword).toBeUndefined();

    const audit = await auditItems(h, w.gs);
    expect(audit.iron_sword).toMatchObject({ live: 0, consumed: 1 });
    expectConserved(audit, { iron_sword: 1, hammer: 1 });
  });

  it('salvage_withoutTarget_returns400TargetRequired', async () => {
    const { w } = await salvageWorld();
    expectError(await h.post('/craft/session/start', startBody(w)), 400, 'TARGET_ITEM_REQUIRED');
  });

  it('salvage_targetOfWrongClass_returns400AndNothingMoves', async () => {
    const { w } = await salvageWorld();
    const ingot = await w.grant('iron_ingot', 1, 0.5);
    const before = await w.contents();
    const res = await h.post('/craft/session/start', startBody(w, { targetItemId: ingot }));
    expectError(res, 400, 'TARGET_ITEM_INVALID');
    expect(await w.contents()).toEqual(before);
  });

  it('salvage_cancelled_swordComesBackWhole', async () => {
    const { w, sword } = await salvageWorld();
    const { sessionId } = await ok(h, '/craft/session/start', startBody(w, { targetItemId: sword }));
    const res = await ok(h, '/craft/session/cancel', { sessionId });
    expect(res.status).toBe('cancelled');
    expect(await w.contents()).toEqual({ iron_sword: 1, hammer: 1 });
    expectConserved(await auditItems(h, w.gs), { iron_sword: 1, hammer: 1 });
  });
});
