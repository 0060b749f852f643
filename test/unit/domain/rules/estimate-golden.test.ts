import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { simulateQuality } from '../../../../src/domain/estimate/simulate.js';
import { simulateRules, type Policy } from '../../../../src/domain/rules/simulate.js';
import { compiledRuleset, crafterInputs, packRuleset } from '../../../helpers/ruleset-packs.js';

/**
 * Estimates against golden results taken with the engine of commit 5306923, before simulations
 * played in place from one restarted state, skipped uses of actions without charges and ran on
 * threads: every one of those changes must leave each simulated session exactly as it was.
 * (A deliberate change of the engine's results regenerates the file and says so.)
 */
const golden = JSON.parse(readFileSync(new URL('./golden/estimates-5306923.json', import.meta.url), 'utf8')) as Record<string, unknown>;

const compiled = (pack: string) => compiledRuleset(packRuleset(pack));
const inputs = crafterInputs;

describe('estimates are the sessions they were before the speed-ups', () => {
  const synthesis = compiled('synthesis');
  const synthesisInputs = inputs(synthesis, { difficulty: 60, durability: 120, qualityMax: 400 });

  it('aSynthesisSequence_withVaryingConditions', () => {
    const plan: Policy = { kind: 'sequence', actions: [...Array<string>(6).fill('basic_touch'), ...Array<string>(4).fill('basic_synthesis')] };
    expect(simulateRules(synthesis, synthesisInputs, plan, { simulations: 300, seed: '42', turnBudget: 500_000 })).toEqual(golden.synthesisSequence);
  });

  it('aGreedySynthesis_cutByTheTurnBudget', () => {
    expect(simulateRules(synthesis, synthesisInputs, { kind: 'greedy' }, { simulations: 900, seed: '7', turnBudget: 2000 })).toEqual(golden.synthesisGreedyBudget);
  });

  it('greedyAlchemy_withRolledReactions', () => {
    const alchemy = compiled('alchemy');
    expect(simulateRules(alchemy, inputs(alchemy, {}), { kind: 'greedy' }, { simulations: 200, seed: '5', turnBudget: 30_000 })).toEqual(golden.alchemyGreedy);
  });

  it('smithing_withFailedAttemptsAndRetries', () => {
    const smithing = compiled('smithing');
    const result = simulateRules(smithing, inputs(smithing, { strikes: 4 }), { kind: 'greedy' }, { simulations: 200, seed: '9', turnBudget: 30_000 });
    expect(result).toEqual(golden.smithingRetries);
    // Some sessions needed a second attempt (more turns than one attempt's four strikes).
    expect(result.turns.max).toBeGreaterThan(4);
  });

  it('theStepModel_throughTheDefaultRuleset', () => {
    const steps = [{ skillCheck: true }, { skillCheck: false }, { skillCheck: true }];
    const weights = { materialQuality: 0.3, proficiencyLevel: 0.5, toolQuality: 0.2 };
    expect(simulateQuality({ steps, simulations: 500, seed: '3', material: 0.7, proficiency: 0.5, tool: 0.6, weights, collaborationBonus: 0 })).toEqual(golden.stepQuality);
  });
});
