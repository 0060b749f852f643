import { readFileSync } from 'node:fs';
import { compileRuleset, type CompiledRuleset } from '../../src/domain/rules/compile.js';
import type { EngineInputs } from '../../src/domain/rules/engine.js';
import type { RulesetDefinition } from '../../src/domain/rules/ruleset.js';

/** A pack's ruleset definition (packs/<pack>/ruleset.json). */
export function packRuleset(pack: string): RulesetDefinition {
  return JSON.parse(readFileSync(new URL(`../../packs/${pack}/ruleset.json`, import.meta.url), 'utf8')) as RulesetDefinition;
}

/** A definition compiled, or the test fails with its problems. */
export function compiledRuleset(def: RulesetDefinition): CompiledRuleset {
  const { ruleset, problems } = compileRuleset(def);
  if (!ruleset) throw new Error(JSON.stringify(problems, null, 2));
  return ruleset;
}

/** Engine inputs of a skilled crafter (level 12) with middling materials, tool and station; `recipe` adds the recipe's ruleset params. */
export const crafterInputs = (rs: CompiledRuleset, recipe: Record<string, number>): EngineInputs => ({
  stats: { craftsmanship: 120, control: 140, cp: 400, perception: 300 },
  params: rs.def.params ?? {},
  recipe: { inputs: 2, steps: 1, size: 2, ...recipe },
  crafter: { level: 12, proficiencyFactor: 0.6 },
  materials: { quality: 0.6, count: 2, tier: 1 },
  tool: { quality: 0.5 },
  station: { quality: 0.5, tier: 1 },
  trial: false,
  recipeTraits: [{ min: 30, traits: ['sharp'] }],
});
