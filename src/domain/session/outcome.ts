import { rollExtraction, type ExtractionOutputRule } from '../extraction/extraction.js';
import { outputQuality, roundQuality } from '../quality/quality.js';
import { specSession, specQuality, type SpecSetup, type SpecStep } from '../rules/spec-ruleset.js';
import type { Rng } from '../rng.js';

/** The parts of a finished session the outcome depends on (structural: no service types here). */
export interface OutcomeInput {
  state: Record<string, number>;
  stepResults: readonly { qualityContribution: number }[];
  participants: readonly { role: string }[];
  recipe: {
    recipeType: string;
    qualityWeights?: { materialQuality: number; proficiencyLevel: number; toolQuality: number } | null;
    steps: readonly SpecStep[];
    outputs?: readonly { itemTemplateCode: string; quantity: number; qualityInfluence: number }[] | null;
    extractionOutputs?: readonly ExtractionOutputRule[] | null;
  };
}

export interface OutcomeSettings {
  defaultWeights: { materialQuality: number; proficiencyLevel: number; toolQuality: number };
  collaborationBonusMultiplier: number;
}

export interface Outcome {
  finalQuality: number;
  /** Items to create; `quality` null means none is written (extracted materials). */
  outputs: { itemTemplateCode: string; quantity: number; quality: number | null }[];
}

/** Collaborators (every participant but apprentices) each add the multiplier, at most 0.1 in total. */
export function collaborationBonus(participants: readonly { role: string }[], multiplier: number): number {
  const collaborators = participants.filter((p) => p.role !== 'apprentice').length;
  return Math.min(0.1, collaborators * multiplier);
}

/**
 * A session's quality from its state: the default ruleset's quality (src/domain/rules/
 * spec-ruleset.ts) over its factors, the skill-check bonuses so far and the collaboration
 * bonus. While it runs this is its accumulated quality; at the end, its final quality (the
 * same function, so the two never disagree).
 */
export function sessionQuality(input: SessionQualityInput, settings: OutcomeSettings): number {
  const { rs, inputs, state } = specSession(specSetupOf(input, settings), {
    stepsDone: input.stepResults.length,
    bonusTotal: input.stepResults.reduce((sum, r) => sum + r.qualityContribution, 0),
  });
  return specQuality(rs, inputs, state);
}

type SessionQualityInput = Omit<OutcomeInput, 'recipe' | 'stepResults'> & {
  stepResults: OutcomeInput['stepResults'];
  recipe: Pick<OutcomeInput['recipe'], 'qualityWeights' | 'steps'>;
};

/** A step session's default-ruleset setup from what it stores: its factors, the recipe's weights, its collaborators. */
export function specSetupOf(input: Pick<SessionQualityInput, 'state' | 'participants' | 'recipe'>, settings: OutcomeSettings): SpecSetup {
  return {
    steps: input.recipe.steps,
    factors: { material: input.state.materialQuality ?? 0.5, proficiency: input.state.proficiencyFactor ?? 0, tool: input.state.toolFactor ?? 0.5 },
    weights: input.recipe.qualityWeights ?? settings.defaultWeights,
    collaborationBonus: collaborationBonus(input.participants, settings.collaborationBonusMultiplier),
  };
}

/**
 * The one function that maps a finished session's state to its outputs: production
 * outputs carry the quality scaled by their influence; extraction outputs are rolled from
 * the session's RNG (stream `extraction`) with quality multiplying quantities; a
 * modification creates nothing (its effect is the affix operation on the target).
 * Deterministic: it reads only stored state, so a retried completion computes the same.
 */
export function resolveOutcome(input: OutcomeInput, settings: OutcomeSettings, rngFor: (stream: string) => Rng): Outcome {
  const quality = roundQuality(sessionQuality(input, settings));
  switch (input.recipe.recipeType) {
    case 'production':
      return {
        finalQuality: quality,
        outputs: (input.recipe.outputs ?? []).map((o) => ({
          itemTemplateCode: o.itemTemplateCode,
          quantity: o.quantity,
          quality: roundQuality(outputQuality(quality, o.qualityInfluence)),
        })),
      };
    case 'extraction':
      return {
        finalQuality: quality,
        outputs: rollExtraction(input.recipe.extractionOutputs ?? [], quality, rngFor('extraction')).map((o) => ({ ...o, quality: null })),
      };
    default:
      return { finalQuality: quality, outputs: [] };
  }
}
