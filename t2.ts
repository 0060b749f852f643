import { compileRuleset } from './src/domain/rules/compile.js';
import { init, apply, available } from './src/domain/rules/engine.js';
import { drawsFor } from './src/domain/rules/play.js';
import { readFileSync } from 'node:fs';
const inputs: any = { stats: {craftsmanship: 100, control: 100, cp: 200, perception: 0}, params: {trialLevel: 10, masterpiecePerPerception: 0.0002}, recipe: { inputs: 3, steps: 1, ingredients: 3, difficulty: 60, durability: 40, qualityMax: 400 }, crafter: { level: 1, proficiencyFactor: 0 }, materials: { quality: 0.5, count: 4, tier: 2 }, tool: { quality: 0.5 }, station: { quality: 0, tier: 0 }, trial: false, recipeTraits: [] };
const c = compileRuleset(JSON.parse(readFileSync(`packs/synthesis/ruleset.json`, 'utf8'))).ruleset!;
const seq = ['veneration', 'basic_synthesis', 'great_strides', 'basic_touch', 'basic_touch', 'basic_synthesis'];
for (let k = 0; k < 5; k++) {
  let t0 = performance.now(); let n = 0;
  for (let i = 0; i < 5000; i++) { let s = init(c, inputs); for (const a of seq) { s = apply(c, inputs, s, a, {}, () => 0.5).state; n++; } }
  let t1 = performance.now();
  let m = 0;
  for (let i = 0; i < 5000; i++) { const s = init(c, inputs); available(c, inputs, s); m++; }
  let t2 = performance.now();
  let d = 0;
  for (let i = 0; i < 30000; i++) { const dr = drawsFor('123456789', 1, i); dr('success'); dr('condition'); d++; }
  let t3 = performance.now();
  console.log('apply µs', ((t1 - t0) * 1000 / n).toFixed(2), 'available µs', ((t2 - t1) * 1000 / m).toFixed(2), 'draws µs', ((t3 - t2) * 1000 / d).toFixed(2));
}
