import { compileRuleset } from './src/domain/rules/compile.js';
import { init, apply } from './src/domain/rules/engine.js';
import { readFileSync } from 'node:fs';
const inputs: any = { stats: {craftsmanship: 100, control: 100, cp: 200, perception: 0}, params: {trialLevel: 10, masterpiecePerPerception: 0.0002}, recipe: { inputs: 3, steps: 1, ingredients: 3, difficulty: 60, durability: 40, qualityMax: 400 }, crafter: { level: 1, proficiencyFactor: 0 }, materials: { quality: 0.5, count: 4, tier: 2 }, tool: { quality: 0.5 }, station: { quality: 0, tier: 0 }, trial: false, recipeTraits: [] };
const c = compileRuleset(JSON.parse(readFileSync(`packs/synthesis/ruleset.json`, 'utf8'))).ruleset!;
const seq = ['veneration', 'basic_synthesis', 'great_strides', 'basic_touch', 'basic_touch', 'basic_synthesis'];
const s0 = init(c, inputs);
const states = [s0];
for (const a of seq) states.push(apply(c, inputs, states[states.length - 1]!, a, {}, () => 0.5).state);
for (let k = 0; k < 6; k++) {
  const t0 = performance.now(); let n = 0;
  for (let i = 0; i < 20000; i++) { for (let j = 0; j < seq.length; j++) { apply(c, inputs, states[j]!, seq[j]!, {}, () => 0.5); n++; } }
  const t1 = performance.now();
  console.log('apply only µs', ((t1 - t0) * 1000 / n).toFixed(2));
}
