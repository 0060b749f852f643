import type { components } from '../../generated/craft-api.js';

export type RulesetInfo = components['schemas']['RulesetInfo'];
export type RulesetDefinitionInput = components['schemas']['RulesetDefinition'];
export type RecipeRulesetRef = components['schemas']['RecipeRuleset'];

export interface RulesetListFilter {
  gameServiceId: string;
  includeDeprecated: boolean;
  page: number;
  pageSize: number;
}

/** What became of a ruleset of a seed. */
export interface SeededRuleset {
  code: string;
  version: number;
  rulesetId: string;
  result: 'created' | 'versioned' | 'unchanged';
}
