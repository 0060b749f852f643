import { describe, expect, it } from 'vitest';
import { finalQuality, roundQuality, skillScore, stepBonus } from '../../../../src/domain/quality/quality.js';
import { rngFor } from '../../../../src/domain/rng.js';
import { compileRuleset } from '../../../../src/domain/rules/compile.js';
import { RuleError } from '../../../../src/domain/rules/engine.js';
import { specDefinition, specQuality, specSession, specStep } from '../../../../src/domain/rules/spec-ruleset.js';

const seedWeights = { materialQuality: 0.3, proficiencyLevel: 0.5, toolQuality: 0.2 };
/** The seed's sword: materials 0.65, level 7 of 10, hammer 0.8; steps 1 and 2 are skill checks. */
const swordSteps = [
  { code: 'heat', skillCheck: true },
  { code: 'hammer', skillCheck: true },
  { code: 'quench' },
  { code: 'polish' },
];
const sword = { steps: swordSteps, factors: { material: 0.65, proficiency: 0.7, tool: 0.8 }, weights: seedWeights, collaborationBonus: 0 };
const noRoll = () => {
  throw new Error('no roll expected');
};

describe('the default ruleset (the specification as data)', () => {
  it('theSeedSword_playedByTheEngine_startsAt0705_andFinishesAt0765', () => {
    const { rs, inputs, state: start } = specSession(sword);
    let state = start;
    // base = 0.65 x 0.3 + 0.7 x 0.5 + 0.8 x 0.2 = 0.195 + 0.35 + 0.16 = 0.705
    expect(state.pools).toEqual({ base: 0.705, bonus: 0 });
    expect(specQuality(rs, inputs, state)).toBe(0.705);
    // Performances 0.9 and 0.7: (0.9 - 0.5) x 0.2 / 2 = 0.04, (0.7 - 0.5) x 0.2 / 2 = 0.02.
    const played = [0.9, 0.7, null, null].map((performance, i) => {
      const step = specStep(rs, inputs, state, i, performance, noRoll);
      state = step.state;
      return step.contribution;
    });
    expect(played).toEqual([0.04, 0.02, 0, 0]);
    expect(state.ended).toEqual({ how: 'success' });
    expect(specQuality(rs, inputs, state)).toBe(0.765);
  });

  it('aRolledCheck_scoresHalfTheRollPlusHalfTheProficiency', () => {
    const { rs, inputs, state } = specSession(sword);
    const step = specStep(rs, inputs, state, 0, null, () => 0.3);
    // score = 0.5 x 0.3 + 0.5 x 0.7 = 0.5: no bonus
    expect({ score: step.score, roll: step.roll, contribution: step.contribution }).toEqual({ score: 0.5, roll: 0.3, contribution: 0 });
  });

  it('stepsPlayOnlyInOrder_andNotAfterTheLast', () => {
    const { rs, inputs, state } = specSession(sword);
    expect(() => specStep(rs, inputs, state, 1, 0.5, noRoll)).toThrow(RuleError);
    const done = specSession(sword, { stepsDone: 4, bonusTotal: 0 });
    expect(() => specStep(done.rs, done.inputs, done.state, 3, 0.5, noRoll)).toThrow(RuleError);
  });

  it('isAValidRuleset_thatAnyGameServiceCouldLoad', () => {
    expect(compileRuleset(specDefinition(swordSteps)).problems).toEqual([]);
  });

  it('agreesWithTheWrittenFormula_overManyRandomSessions', () => {
    const rng = rngFor('spec-vs-formula', 'cases');
    for (let n = 0; n < 500; n++) {
      const steps = Array.from({ length: 1 + Math.floor(rng() * 6) }, (_, i) => ({ code: `s${i}`, skillCheck: rng() < 0.6 }));
      const checks = steps.filter((s) => s.skillCheck).length;
      const w1 = rng();
      const w2 = rng() * (1 - w1);
      const weights = { materialQuality: w1, proficiencyLevel: w2, toolQuality: 1 - w1 - w2 };
      const factors = { material: rng(), proficiency: rng(), tool: rng() };
      const collaborationBonus = Math.floor(rng() * 3) * 0.05;
      const { rs, inputs, state: start } = specSession({ steps, factors, weights, collaborationBonus });
      let state = start;
      const bonuses: number[] = [];
      steps.forEach((s, i) => {
        const performance = rng() < 0.5 ? rng() : null;
        const roll = rng();
        const step = specStep(rs, inputs, state, i, performance, () => roll);
        state = step.state;
        if (s.skillCheck) bonuses.push(roundQuality(stepBonus(skillScore(performance, roll, factors.proficiency), checks)));
      });
      const expected = roundQuality(finalQuality({ ...factors, weights, stepBonuses: bonuses, collaborationBonus }));
      expect(specQuality(rs, inputs, state)).toBe(expected);
    }
  });
});
