import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compileRuleset } from '../../../src/domain/rules/compile.js';
import type { RulesRecord } from '../../../src/domain/rules/play.js';
import type { RulesetDefinition } from '../../../src/domain/rules/ruleset.js';
import { greedyChoice } from '../../../src/domain/rules/simulate.js';
import { auditItems, expectConserved } from '../../helpers/audit.js';
import { startHarness, type Harness } from '../../helpers/harness.js';
import { contentsOf, crafterWith, loadPackWorld, type PackWorld } from '../../helpers/packs.js';
import { expectReplaysExactly } from '../../helpers/replay.js';
import { expectError, ok } from '../../helpers/world.js';

/**
 * The alchemy pack (seed 003) over HTTP. A reaction's value by stage: 1 -> 5, 2 -> 15 + 5s,
 * 3 -> 30 + 5s, 4 -> 20 + 5s, 5 -> 5 + 5s, where s is the reported performance (else a roll);
 * waiting at stage 5 explodes. chain adds the reaction to progress and starts the next
 * ingredient (recipe: 3 ingredients, so 2 chains); the score is min(100, progress + reaction).
 * Bands: <25 failure (50% lost), 25 weak x0.5, 50 standard x0.75, 75 quality x1, 90 superior
 * x1.25, 100 perfect x1.5 on 4 draughts. The recipe takes 4 moonpetal, 2 glowcap, 2 water.
 */
let h: Harness;
// Server time a day ahead of the real clock (whole seconds): other test files' sweepers, on the real
// clock, never see these sessions as expired; this harness's own sweeper is off (it would see theirs).
let now = Math.floor(Date.now() / 1000) * 1000 + 86_400_000;
let nextSeed: () => string = () => 'alchemy-1';
let w: PackWorld;
let stationId: string;
const INPUTS = { moonpetal: 4, glowcap: 2, spring_water: 2 };
const granted: Record<string, number> = { moonpetal: 0, glowcap: 0, spring_water: 0 };

beforeAll(async () => {
  h = await startHarness({ CRAFT_RECOVERY_INTERVAL_MS: '600000', CRAFT_STATION_EXCLUSIVITY: 'false', CRAFT_MAX_ACTIVE_SESSIONS_PER_ENTITY: '10' }, { sessionSeeds: () => nextSeed(), clock: { now: () => new Date(now) } });
  w = await loadPackWorld(h, 'alchemy');
  stationId = (await ok(h, '/craft/station/register', { gameServiceId: w.gs, stationType: 'cauldron', quality: 0.7 })).stationId;
}, 60_000);
afterAll(async () => {
  await h?.close();
});

async function brewer(sets = 1) {
  for (const [code, n] of Object.entries(INPUTS)) granted[code]! += n * sets;
  return crafterWith(h, w.gs, Object.entries(INPUTS).map(([code, n]) => ({ code, quantity: n * sets })));
}

async function brew(c: { entityId: string; entityType: string; inventoryId: string }) {
  const res = await h.post('/craft/session/start', { recipeId: w.recipes.healing_draught!, entityId: c.entityId, entityType: c.entityType, inventoryId: c.inventoryId, stationId });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body.sessionId as string;
}

const act = (sessionId: string, action: string, performance?: number) =>
  h.post('/craft/session/advance', { sessionId, action, ...(performance !== undefined && { performance }) });

describe('alchemy pack', () => {
  it('aScriptedBrew_everyPoolAfterEveryAction_matchesTheRulesetByHand_andAPerfectBrewYieldsSixDraughts', async () => {
    const c = await brewer();
    const sessionId = await brew(c);
    const script: [string, number | undefined, Record<string, number>][] = [
      ['wait', 0.6, { progress: 0, stage: 2, reaction: 18, ingredients: 2 }], // 15 + 5 x 0.6
      ['wait', 0.2, { progress: 0, stage: 3, reaction: 31, ingredients: 2 }], // 30 + 5 x 0.2
      ['chain', undefined, { progress: 31, stage: 1, reaction: 5, ingredients: 1 }], // 0 + 31 locked
      ['wait', 1, { progress: 31, stage: 2, reaction: 20, ingredients: 1 }], // 15 + 5
      ['wait', 1, { progress: 31, stage: 3, reaction: 35, ingredients: 1 }], // 30 + 5
      ['chain', undefined, { progress: 66, stage: 1, reaction: 5, ingredients: 0 }], // 31 + 35
      ['wait', 0.5, { progress: 66, stage: 2, reaction: 17.5, ingredients: 0 }], // 15 + 2.5
      ['wait', 0.8, { progress: 66, stage: 3, reaction: 34, ingredients: 0 }], // 30 + 4
    ];
    for (const [action, performance, pools] of script) {
      const res = await act(sessionId, action, performance);
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      expect(res.body.rules.pools).toEqual(pools);
    }
    // No ingredient left: chain cannot be used.
    expectError(await act(sessionId, 'chain'), 409, 'ACTION_NOT_AVAILABLE');
    // stabilize: score min(100, 66 + 34) = 100 -> perfect: 4 x 1.5 = 6 draughts of quality 1.
    const done = await act(sessionId, 'stabilize');
    expect(done.body.status).toBe('completed');
    expect(done.body.rules.outcomes).toEqual([
      expect.objectContaining({ score: 100, band: 'perfect', success: true, outputMultiplier: 1.5, quality: 1, grade: 'Perfect', attributes: { effectStrength: 1.25, durationFactor: 1.5 } }),
    ]);
    expect(await contentsOf(h, w.gs, c.inventoryId)).toEqual({ healing_draught: 6 });
    await expectReplaysExactly(h, sessionId);
  });

  it('anExplosion_losesThreeQuartersOfTheMaterials_andAWeakBrewBelow25_losesHalf', async () => {
    const boom = await brewer();
    const a = await brew(boom);
    for (let i = 0; i < 4; i++) await act(a, 'wait', 0.5);
    // Stage 5: waiting again explodes (chance 0 -> the fail effect).
    const exploded = await act(a, 'wait', 0.5);
    expect(exploded.body.turn).toMatchObject({ success: false, ended: 'fail' });
    // 75% of 4 + 2 + 2 = 6 units: moonpetal 3, glowcap 1.5 -> 2 (largest remainder first), water 1.5 -> 1.
    expect(await contentsOf(h, w.gs, boom.inventoryId)).toEqual({ moonpetal: 1, spring_water: 1 });
    expect((await ok(h, '/craft/session/get', { sessionId: a })).session).toMatchObject({ status: 'failed' });

    const weak = await brewer();
    const b = await brew(weak);
    // Stabilising at once: score 0 + 5 = 5 < 25 -> failure, 50% of 8 = 4 units: 2, 1, 1.
    const failed = await act(b, 'stabilize');
    expect(failed.body.rules.outcomes[0]).toMatchObject({ band: 'failure', success: false, loss: 0.5 });
    expect(await contentsOf(h, w.gs, weak.inventoryId)).toEqual({ moonpetal: 2, glowcap: 1, spring_water: 1 });
    expectConserved(await auditItems(h, w.gs), { ...granted, healing_draught: 0 });
  });

  it('theTimeLimit_stabilisesTheBrewAsItStands', async () => {
    const c = await brewer();
    const sessionId = await brew(c);
    await act(sessionId, 'wait', 0); // stage 2: 15
    await act(sessionId, 'wait', 0.4); // stage 3: 32
    now += 91_000; // past the 90 s limit
    const late = await act(sessionId, 'wait', 0);
    expectError(late, 409, 'ATTEMPT_ENDED');
    // Auto-stabilised at 0 + 32 = 32: weak (25..50) -> 4 x 0.5 = 2 draughts of quality 0.32.
    const session = (await ok(h, '/craft/session/get', { sessionId })).session;
    expect(session.status).toBe('completed');
    expect(session.rules.outcomes[0]).toMatchObject({ score: 32, band: 'weak', quality: 0.32 });
    expect(await contentsOf(h, w.gs, c.inventoryId)).toEqual({ healing_draught: 2 });
  });

  it('theEstimate_isTheDistributionOfRealSessionsPlayedByTheSamePolicy', async () => {
    const SESSIONS = 500;
    const CRAFTERS = 50; // at most 10 live sessions each
    const WORKERS = 10;
    // Real sessions get seeds "7:0" .. "7:499", the seeds the estimate gives its simulations for seed 7.
    let n = 0;
    nextSeed = () => `7:${n++}`;
    const definition = (await ok(h, '/craft/ruleset/get', { gameServiceId: w.gs, code: 'alchemy' })).ruleset.definition as RulesetDefinition;
    const rs = compileRuleset(definition).ruleset!;
    const bands: Record<string, number> = {};
    // 500 sessions take the 500 seeds (which takes which does not change the band counts), then each is
    // played by the greedy policy, deciding from the session's stored state.
    const crafters = await Promise.all(Array.from({ length: CRAFTERS }, () => brewer(SESSIONS / CRAFTERS)));
    const ids: string[] = new Array(SESSIONS);
    await Promise.all(
      Array.from({ length: WORKERS }, async (_, k) => {
        for (let i = k; i < SESSIONS; i += WORKERS) ids[i] = await brew(crafters[i % CRAFTERS]!);
      }),
    );
    await Promise.all(
      Array.from({ length: WORKERS }, async (_, k) => {
        for (let i = k; i < SESSIONS; i += WORKERS) {
          for (;;) {
            const row = await h.runtime.internals.prisma.craftSession.findUniqueOrThrow({ where: { id: ids[i]! } });
            const rules = JSON.parse(row.rules!) as RulesRecord;
            if (rules.state.ended) {
              const band = rules.outcomes[0]!.band!;
              bands[band] = (bands[band] ?? 0) + 1;
              break;
            }
            const action = greedyChoice(rs, rules.inputs, rules.state, null)!;
            expect((await act(ids[i]!, action)).status).toBe(200);
          }
        }
      }),
    );
    const real = Object.fromEntries(rs.outcome.bands.map((b) => [b.name, (bands[b.name] ?? 0) / SESSIONS]));
    const estimate = async (body: Record<string, unknown>) => {
      const res = await ok(h, '/craft/query/estimate-quality', {
        recipeId: w.recipes.healing_draught,
        entityId: crafters[0]!.entityId,
        entityType: 'character',
        materialItemIds: [],
        stationId,
        ...body,
      });
      return Object.fromEntries((res.rules.bands as { name: string; probability: number }[]).map((b) => [b.name, b.probability]));
    };
    // Same seeds, same policy: the estimate is exactly what the real sessions did.
    expect(await estimate({ seed: 7, simulations: SESSIONS, policy: { kind: 'greedy' } })).toEqual(real);
    // Independent seeds (the default), as many simulations as the budget allows: within 0.02 of the 500 sessions.
    const independent = await estimate({ policy: { kind: 'sequence', actions: ['wait', 'wait', 'chain', 'wait', 'wait', 'chain', 'wait', 'wait', 'stabilize'] }, simulations: 10_000 });
    for (const band of Object.keys(real)) expect(Math.abs(independent[band]! - real[band]!), band).toBeLessThanOrEqual(0.02);
    nextSeed = () => 'alchemy-1';
  }, 300_000);
});
