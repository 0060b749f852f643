import type { OutboxEventInput } from '../ports.js';
import type { Learner } from './discovery-model.js';

/**
 * `craft.recipe.discovered`; payload per schemas/craft-events.yaml CraftRecipeDiscoveredEvent.
 * `source` is `discovered`, `taught` or `prerequisite` (the events document lists only the
 * first two so far; see src/services/discovery/README.md).
 */
export function recipeLearnedEvent(
  who: Learner,
  recipe: { recipeId: string; recipeCode: string },
  source: 'discovered' | 'taught' | 'prerequisite',
  eventId: string,
  timestamp: Date,
): OutboxEventInput {
  return {
    eventId,
    topic: 'recipe.discovered',
    payload: {
      eventName: 'craft.recipe.discovered',
      eventId,
      timestamp: timestamp.toISOString(),
      gameServiceId: who.gameServiceId,
      entityId: who.entityId,
      entityType: who.entityType,
      recipeId: recipe.recipeId,
      recipeCode: recipe.recipeCode,
      source,
    },
  };
}
