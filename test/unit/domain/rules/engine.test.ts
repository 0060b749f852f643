import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { compileRuleset, type CompiledRuleset } from '../../../../src/domain/rules/compile.js';
import { apply, available, init, RuleError, type Draw, type EngineInputs, type EngineState } from '../../../../src/domain/rules/engine.js';
import { outcome } from '../../../../src/domain/rules/outcome.js';
import type { RulesetDefinition, Stream } from '../../../../src/domain/rules/ruleset.js';

const synthesisDef = JSON.parse(readFileSync(new URL('../../../../packs/synthesis/ruleset.json', import.meta.url), 'utf8')) as RulesetDefinition;

function compiled(def: RulesetDefinition): CompiledRuleset {
  const { ruleset, problems } = compileRuleset(def);
  if (!ruleset) throw new Error(JSON.stringify(problems, null, 2));
  return ruleset;
}

/** Draws from fixed lists per stream (then the stream's last value, default 0.1). */
function draws(script: Partial<Record<Stream, number[]>> = {}): Draw {
  const at: Partial<Record<Stream, number>> = {};
  return (stream) => {
    const list = script[stream] ?? [];
    const i = at[stream] ?? 0;
    at[stream] = i + 1;
    return list[Math.min(i, list.length - 1)] ?? 0.1;
  };
}

const inputs = (over: Partial<EngineInputs> = {}): EngineInputs => ({
  stats: { craftsmanship: 100, control: 100, cp: 200, perception: 0 },
  params: synthesisDef.params ?? {},
  recipe: { difficulty: 40, qualityMax: 200, durability: 40 },
  crafter: { level: 12, proficiencyFactor: 0.6 },
  materials: { quality: 0.6, count: 2, tier: 1 },
  tool: { quality: 0.5 },
  station: { quality: 0.5, tier: 1 },
  trial: false,
  recipeTraits: [{ min: 30, traits: ['sharp'] }, { min: 60, traits: ['keen'] }],
  ...over,
});

describe('the synthesis ruleset through the engine', () => {
  const rs = compiled(synthesisDef);

  it('init_poolsFromTheStatsRecipeAndMaterials', () => {
    const s = init(rs, inputs());
    // quality starts at materials 0.6 x qualityMax 200 x 0.25 = 30; powers: 100 x 0.1 + 2 = 12, 100 x 0.1 + 3 = 13.
    expect(s.pools).toEqual({ progress: 0, quality: 30, integrity: 40, cp: 200, progressPower: 12, qualityPower: 13 });
    expect(s.condition).toBe('normal');
  });

  it('aScriptedCraft_everyPoolAfterEveryAction_asComputedByHand', () => {
    const i = inputs();
    let s: EngineState = init(rs, i);
    const d = draws({ condition: [0.1] });
    const step = (action: string) => {
      const r = apply(rs, i, s, action, {}, d);
      s = r.state;
      return r.result;
    };
    // 1. basic_touch: cp 200-18, integrity 40-10, quality +13 x (1 + 0.1 x 0) = 43, Inner Quiet 1.
    expect(step('basic_touch').deltas).toEqual({ cp: -18, integrity: -10, quality: 13 });
    expect([s.pools.quality, s.buffs.inner_quiet]).toEqual([43, { stacks: 1, turns: null }]);
    // 2. great_strides: cp 182-32 = 150.
    step('great_strides');
    expect(s.pools.cp).toBe(150);
    // 3. basic_touch under Great Strides: 13 x 1.1 = 14.3, doubled = 28.6 -> 71.6; Great Strides consumed.
    const touched = step('basic_touch');
    expect(s.pools.quality).toBeCloseTo(71.6, 9);
    expect(touched.buffsLost).toEqual(['great_strides']);
    expect(s.buffs.inner_quiet!.stacks).toBe(2);
    // 4. veneration (4 turns). 5. basic_synthesis: 12 x 1.2 = 14.4, x 1.5 = 21.6 progress; integrity 10.
    step('veneration');
    step('basic_synthesis');
    expect([s.pools.progress, s.pools.integrity, s.buffs.veneration!.turns]).toEqual([21.6, 10, 3]);
    // 6. masters_mend: cp 114-88 = 26, integrity 10+30 capped at 40.
    step('masters_mend');
    expect([s.pools.cp, s.pools.integrity]).toEqual([26, 40]);
    // Too little CP left for Great Strides (32): not available, with the reason.
    expect(available(rs, i, s).find((a) => a.code === 'great_strides')).toMatchObject({ usable: false, reason: 'not enough cp (26 of 32)' });
    expect(() => step('great_strides')).toThrow(RuleError);
    // 7. basic_synthesis: progress 21.6 + 21.6 = 43.2, capped at 40: the craft is done.
    const last = step('basic_synthesis');
    expect([s.pools.progress, last.ended]).toEqual([40, { how: 'success' }]);
    expect(s.turn).toBe(7);

    // Outcome: score 100 x 71.6 / 200 = 35.8 -> quality 0.358, the recipe's 30 breakpoint reached.
    const o = outcome(rs, i, s, draws());
    expect(o).toMatchObject({ success: true, grade: 'Normal', traits: ['sharp'], rare: [], loss: 0 });
    expect(o.score).toBeCloseTo(35.8, 9);
    expect(o.quality).toBeCloseTo(0.358, 9);
  });

  it('integrityAtZeroBeforeProgress_failsAndLosesEverything', () => {
    const i = inputs({ recipe: { difficulty: 400, qualityMax: 200, durability: 20 } });
    let s = init(rs, i);
    s = apply(rs, i, s, 'basic_synthesis', {}, draws()).state;
    const r = apply(rs, i, s, 'basic_synthesis', {}, draws());
    expect(r.result.ended).toEqual({ how: 'failure' });
    expect(outcome(rs, i, r.state, draws())).toMatchObject({ success: false, outputMultiplier: 0, loss: 1 });
  });

  it('conditions_excellentIsAlwaysFollowedByPoor_andQuadruplesQualityGain', () => {
    const i = inputs();
    let s = init(rs, i);
    // 0.92 of the weight 1.0 falls in `excellent` (0.9 .. 0.94).
    s = apply(rs, i, s, 'veneration', {}, draws({ condition: [0.92] })).state;
    expect(s.condition).toBe('excellent');
    const r = apply(rs, i, s, 'basic_touch', {}, draws({ condition: [0.1] }));
    expect(r.result.deltas.quality).toBe(52);
    expect(r.state.condition).toBe('poor');
  });

  it('hastyTouch_rollsItsChance_failureSpendsIntegrityOnly', () => {
    const i = inputs();
    const s = init(rs, i);
    const miss = apply(rs, i, s, 'hasty_touch', {}, draws({ success: [0.7] }));
    expect([miss.result.success, miss.result.deltas]).toEqual([false, { integrity: -10 }]);
    const hit = apply(rs, i, s, 'hasty_touch', {}, draws({ success: [0.5] }));
    expect([hit.result.success, hit.result.deltas]).toEqual([true, { integrity: -10, quality: 13 }]);
    // Steady Hand adds 0.3 to every chance.
    const steady = apply(rs, i, s, 'steady_hand', {}, draws()).state;
    expect(available(rs, i, steady).find((a) => a.code === 'hasty_touch')!.chance).toBeCloseTo(0.9, 12);
  });

  it('manipulation_ticksIntegrityBackEveryTurn_forEightTurns', () => {
    const i = inputs({ recipe: { difficulty: 1000, qualityMax: 200, durability: 80 } });
    let s = init(rs, i);
    s = apply(rs, i, s, 'manipulation', {}, draws()).state;
    s = apply(rs, i, s, 'basic_synthesis', {}, draws()).state;
    // -10 for the synthesis, +5 from the tick.
    expect([s.pools.integrity, s.buffs.manipulation!.turns]).toEqual([75, 7]);
  });

  it('manipulation_refreshed_restartsAtEightTurns_withoutATickOrACountDownThatTurn', () => {
    const i = inputs({ recipe: { difficulty: 1000, qualityMax: 200, durability: 80 } });
    let s = init(rs, i);
    s = apply(rs, i, s, 'manipulation', {}, draws()).state;
    s = apply(rs, i, s, 'basic_synthesis', {}, draws()).state;
    expect([s.pools.integrity, s.buffs.manipulation!.turns]).toEqual([75, 7]);
    // Re-applied: back to 8 turns, as on the turn it was first gained (no tick, no count-down).
    const refreshed = apply(rs, i, s, 'manipulation', {}, draws());
    expect([refreshed.state.pools.integrity, refreshed.state.buffs.manipulation!.turns]).toEqual([75, 8]);
    expect(refreshed.result.buffsGained).toEqual([]);
    s = apply(rs, i, refreshed.state, 'basic_synthesis', {}, draws()).state;
    expect([s.pools.integrity, s.buffs.manipulation!.turns]).toEqual([70, 7]);
  });

  it('masterpiece_aRareEventScaledByPerception', () => {
    const i = inputs({ stats: { craftsmanship: 1000, control: 100, cp: 200, perception: 500 } });
    let s = init(rs, i);
    s = apply(rs, i, s, 'basic_synthesis', {}, draws()).state;
    // perception 500 x 0.0002 = a 10 % chance.
    expect(outcome(rs, i, s, draws({ rare: [0.05] }))).toMatchObject({ success: true, rare: ['masterpiece'], grade: 'Masterpiece' });
    expect(outcome(rs, i, s, draws({ rare: [0.15] })).rare).toEqual([]);
  });
});

describe('ruleset validation', () => {
  it('badRulesets_refusedWithThePathOfEachProblem', () => {
    const bad = structuredClone(synthesisDef) as any;
    bad.actions[0].onSuccess[0].pool = 'progres';
    bad.actions[1].costs = { mana: 3 };
    bad.buffs[1].consumedBy = ['no_such_action'];
    bad.conditions.states[1].next = 'excellent';
    bad.conditions.states[2].next = 'good';
    bad.actions[2].chance = { eval: 'process.exit()' };
    bad.pools.push({ name: 'progress', start: 0 });
    bad.start = { requires: { '>': [{ var: 'pools.mana' }, 0] } };
    const { ruleset, problems } = compileRuleset(bad);
    expect(ruleset).toBeNull();
    expect(problems.map((p) => [p.path, p.code])).toEqual(
      expect.arrayContaining([
        ['/pools/6', 'NAME_DUPLICATE'],
        ['/actions/0/onSuccess/0/pool', 'UNKNOWN_POOL'],
        ['/actions/1/costs/mana', 'UNKNOWN_POOL'],
        ['/actions/2/chance/eval', 'OPERATOR_NOT_ALLOWED'],
        ['/buffs/1/consumedBy/0', 'UNKNOWN_ACTION'],
        ['/conditions/states/1/next', 'CONDITION_CYCLE'],
        ['/start/requires/>/0/var', 'UNKNOWN_VARIABLE'],
      ]),
    );
  });
});
