import { compileRuleset } from './src/domain/rules/compile.js';
import { simulateRules } from './src/domain/rules/simulate.js';
import { readFileSync } from 'node:fs';
const inputs: any = { stats: {craftsmanship: 100, control: 100, cp: 200, perception: 0}, params: {}, recipe: { inputs: 3, steps: 1, ingredients: 3, difficulty: 60, durability: 40, qualityMax: 400, cylinders: 3, allowedFailures: 1, window: 0.7, strikes: 4 }, crafter: { level: 1, proficiencyFactor: 0 }, materials: { quality: 0.5, count: 4, tier: 2 }, tool: { quality: 0.5 }, station: { quality: 0, tier: 0 }, trial: false, recipeTraits: [] };
for (const p of ['alchemy', 'refining', 'smithing', 'synthesis']) {
  const def = JSON.parse(readFileSync(`packs/${p}/ruleset.json`, 'utf8'));
  const c = compileRuleset({ ...def, params: { ...(def.params ?? {}), ...(p === 'synthesis' ? { trialLevel: 10, masterpiecePerPerception: 0.0002 } : {}) } }).ruleset!;
  const inp = { ...inputs, params: c.def.params ?? {} };
  for (let k = 0; k < 3; k++) {
    const t0 = performance.now();
    const r = simulateRules(c, inp, { kind: 'greedy' }, { simulations: 1000, seed: 'x', turnBudget: 30000 });
    const t1 = performance.now();
    if (k === 2) console.log(p, (t1 - t0).toFixed(1), 'ms', r.simulations, JSON.stringify(r.bands), r.turns);
  }
}
