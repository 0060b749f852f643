import { finalQuality, outputQuality } from '../quality/quality.js';

/** The parts of a finished session the outcome depends on (structural: no service types here). */
export interface OutcomeInput {
  state: Record<string, number>;
  stepResults: readonly { qualityContribution: number }[];
  participants: readonly { role: string }[];
  recipe: {
    qualityWeights?: { materialQuality: number; proficiencyLevel: number; toolQuality: number } | null;
    outputs?: readonly { itemTemplateCode: string; quantity: number; qualityInfluence: number }[] | null;
  };
}

export interface OutcomeSettings {
  defaultWeights: { materialQuality: number; proficiencyLevel: number; toolQuality: number };
  collaborationBonusMultiplier: number;
}

export interface Outcome {
  finalQuality: number;
  outputs: { itemTemplateCode: string; quantity: number; quality: number }[];
}

/** Collaborators (every participant but apprentices) each add the multiplier, at most 0.1 in total. */
export function collaborationBonus(participants: readonly { role: string }[], multiplier: number): number {
  const collaborators = participants.filter((p) => p.role !== 'apprentice').length;
  return Math.min(0.1, collaborators * multiplier);
}

/**
 * The one function that maps a production session's final state to its outputs.
 * Deterministic: it reads only stored state, so a retried completion computes the same.
 */
export function resolveProductionOutcome(input: OutcomeInput, settings: OutcomeSettings): Outcome {
  const quality = finalQuality({
    material: input.state.materialQuality ?? 0.5,
    proficiency: input.state.proficiencyFactor ?? 0,
    tool: input.state.toolFactor ?? 0.5,
    weights: input.recipe.qualityWeights ?? settings.defaultWeights,
    stepBonuses: input.stepResults.map((r) => r.qualityContribution),
    collaborationBonus: collaborationBonus(input.participants, settings.collaborationBonusMultiplier),
  });
  return {
    finalQuality: quality,
    outputs: (input.recipe.outputs ?? []).map((o) => ({
      itemTemplateCode: o.itemTemplateCode,
      quantity: o.quantity,
      quality: outputQuality(quality, o.qualityInfluence),
    })),
  };
}
