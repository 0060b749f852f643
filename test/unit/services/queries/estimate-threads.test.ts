import { afterAll, describe, expect, it } from 'vitest';
import { RuleError } from '../../../../src/domain/rules/engine.js';
import { simulateRange, simulateRules, summarizeRuns, type Policy } from '../../../../src/domain/rules/simulate.js';
import { EstimateThreads } from '../../../../src/services/queries/estimate-threads.js';
import { compiledRuleset, crafterInputs, packRuleset } from '../../../helpers/ruleset-packs.js';

/**
 * Estimates split over threads give exactly the one-thread estimate: a simulation depends on
 * its seed alone, and the turn budget cuts the joined ranges where one range would stop.
 */

const synthesisDef = packRuleset('synthesis');
const synthesis = compiledRuleset(synthesisDef);
const synthesisInputs = crafterInputs(synthesis, { difficulty: 60, durability: 120, qualityMax: 400 });
/** Six touches (the condition of each turn varies their gain), then four syntheses: 4 x 16.8 progress passes 60. */
const plan: Policy = { kind: 'sequence', actions: [...Array<string>(6).fill('basic_touch'), ...Array<string>(4).fill('basic_synthesis')] };
const alchemyDef = packRuleset('alchemy');
const alchemy = compiledRuleset(alchemyDef);
const alchemyInputs = crafterInputs(alchemy, {});

const threads = new EstimateThreads(3);
afterAll(() => threads.close());

describe('estimate threads', () => {
  it('threadedEstimate_equalsTheOneThreadEstimate_sequenceAndGreedy', async () => {
    const opts = { simulations: 1000, seed: '42', turnBudget: 500_000 };
    const one = simulateRules(synthesis, synthesisInputs, plan, opts);
    const split = await threads.estimate({ rulesetId: 'synthesis-test', definition: synthesisDef }, synthesis, synthesisInputs, plan, opts);
    expect(split).toEqual(one);
    expect(one.simulations).toBe(1000);
    // Not a degenerate distribution: the condition draws vary the quality between simulations.
    expect(new Set(one.qualities).size).toBeGreaterThan(5);

    const greedy: Policy = { kind: 'greedy' };
    const oneGreedy = simulateRules(alchemy, alchemyInputs, greedy, opts);
    const splitGreedy = await threads.estimate({ rulesetId: 'alchemy-test', definition: alchemyDef }, alchemy, alchemyInputs, greedy, opts);
    expect(splitGreedy).toEqual(oneGreedy);
  });

  it('aBindingTurnBudget_cutsTheThreadedEstimateWhereOneThreadStops', async () => {
    // The greedy policy's lookahead spends the budget long before 900 simulations.
    const opts = { simulations: 900, seed: '7', turnBudget: 2_000 };
    const one = simulateRules(synthesis, synthesisInputs, { kind: 'greedy' }, opts);
    expect(one.simulations).toBeGreaterThan(1);
    expect(one.simulations).toBeLessThan(900);
    const split = await threads.estimate({ rulesetId: 'synthesis-test', definition: synthesisDef }, synthesis, synthesisInputs, { kind: 'greedy' }, opts);
    expect(split).toEqual(one);
  });

  it('rangesJoinedInAnyCut_giveTheWholeRange', () => {
    const opts = { seed: '3', turnBudget: 1_500 };
    const whole = summarizeRuns(synthesis, { kind: 'greedy' }, [simulateRange(synthesis, synthesisInputs, { kind: 'greedy' }, { ...opts, from: 0, to: 400 })], opts.turnBudget);
    for (const cuts of [[0, 1, 400], [0, 7, 8, 250, 400], [0, 200, 400]]) {
      const ranges = cuts.slice(1).map((to, k) => simulateRange(synthesis, synthesisInputs, { kind: 'greedy' }, { ...opts, from: cuts[k]!, to }));
      expect(summarizeRuns(synthesis, { kind: 'greedy' }, ranges, opts.turnBudget)).toEqual(whole);
    }
  });

  it('anUnknownActionInTheSequence_isRefusedBeforeAnyThreadRuns', async () => {
    const bad: Policy = { kind: 'sequence', actions: ['basic_touch', 'no_such_action'] };
    const err = await threads
      .estimate({ rulesetId: 'synthesis-test', definition: synthesisDef }, synthesis, synthesisInputs, bad, { simulations: 500, seed: '1', turnBudget: 30_000 })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RuleError);
    expect((err as RuleError).code).toBe('ACTION_NOT_FOUND');
  });
});
