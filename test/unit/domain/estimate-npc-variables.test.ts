import { describe, expect, it } from 'vitest';
import { parseVariable, pickBest, recipeValue } from '../../../src/domain/estimate/npc-variables.js';

describe('NPC variable names', () => {
  it('parseVariable_everyKind', () => {
    expect(parseVariable('can_craft.forge_iron_sword')).toEqual({ ok: true, variable: { kind: 'can_craft', recipeCode: 'forge_iron_sword' } });
    expect(parseVariable('materials_for.a.b')).toEqual({ ok: true, variable: { kind: 'materials_for', recipeCode: 'a.b' } });
    expect(parseVariable('proficiency.blacksmithing')).toEqual({ ok: true, variable: { kind: 'proficiency', domain: 'blacksmithing' } });
    expect(parseVariable('station_nearby.forge')).toEqual({ ok: true, variable: { kind: 'station_nearby', stationType: 'forge' } });
    expect(parseVariable('best_recipe')).toEqual({ ok: true, variable: { kind: 'best_recipe' } });
    expect(parseVariable('queue_depth')).toEqual({ ok: true, variable: { kind: 'queue_depth' } });
    expect(parseVariable('craft.last_craft_quality')).toEqual({ ok: true, variable: { kind: 'last_craft_quality' } });
  });

  it('parseVariable_unknownOrMalformed_notOk', () => {
    for (const name of ['', 'nope', 'can_craft', 'can_craft.', 'best_recipe.x', 'queue_depth.1', 'proficiency', 'Can_craft.x']) {
      expect(parseVariable(name).ok, name).toBe(false);
    }
  });
});

describe('best_recipe value rule', () => {
  it('recipeValue_quantityTimesOutputQuality', () => {
    expect(recipeValue([{ quantity: 2, qualityInfluence: 1 }], 0.8)).toBeCloseTo(1.6, 12);
    // Influence 0: the output is always 0.5.
    expect(recipeValue([{ quantity: 1, qualityInfluence: 0 }, { quantity: 1, qualityInfluence: 1 }], 0.9)).toBeCloseTo(1.4, 12);
    expect(recipeValue([], 0.9)).toBe(0);
  });

  it('pickBest_highestValueThenCode', () => {
    expect(pickBest([])).toBeNull();
    expect(pickBest([{ code: 'b', value: 1 }, { code: 'c', value: 2 }, { code: 'a', value: 2 }])?.code).toBe('a');
  });
});
