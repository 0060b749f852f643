import type { RecipeService } from './recipes/recipe-service.js';
import type { GameServiceAdmin } from './standalone/game-service-admin.js';

/** The application services the HTTP layer may call; one per aggregate. */
export interface Services {
  recipes: RecipeService;
  gameServiceAdmin: GameServiceAdmin;
}
