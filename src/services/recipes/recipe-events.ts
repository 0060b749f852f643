import type { OutboxEventInput } from '../ports.js';
import type { RecipeInfo } from './recipe-model.js';

type RecipeTopic = 'created' | 'updated' | 'deprecated' | 'deleted';

/** Lifecycle event rows for the outbox; payloads follow schemas/craft-events.yaml. */
export function recipeEvent(
  action: RecipeTopic,
  recipe: RecipeInfo,
  eventId: string,
  timestamp: Date,
  extra: { changedFields?: string[]; deletedReason?: string } = {},
): OutboxEventInput {
  const topic = `recipe.${action}`;
  return {
    eventId,
    topic,
    payload: {
      eventName: `craft.${topic}`,
      eventId,
      timestamp: timestamp.toISOString(),
      recipeId: recipe.recipeId,
      gameServiceId: recipe.gameServiceId,
      code: recipe.code,
      recipeType: recipe.recipeType,
      domain: recipe.domain,
      category: recipe.category ?? null,
      tags: recipe.tags ?? [],
      isDiscoverable: recipe.isDiscoverable ?? false,
      createdAt: recipe.createdAt,
      updatedAt: recipe.updatedAt,
      isDeprecated: recipe.isDeprecated,
      deprecatedAt: recipe.deprecatedAt ?? null,
      deprecationReason: recipe.deprecationReason ?? null,
      ...(action === 'updated' && { changedFields: extra.changedFields ?? [] }),
      ...(action === 'deleted' && { deletedReason: extra.deletedReason ?? 'deprecated recipe cleaned' }),
    },
  };
}
