import type { Services } from '../../services/services.js';
import type { Handlers } from '../route-types.js';
import { notImplemented } from './not-implemented.js';
import { cleanDeprecatedRecipes } from './recipe/clean-deprecated-recipes.js';
import { createRecipe } from './recipe/create-recipe.js';
import { deprecateRecipe } from './recipe/deprecate-recipe.js';
import { getRecipe } from './recipe/get-recipe.js';
import { listRecipeDomains } from './recipe/list-recipe-domains.js';
import { listRecipes } from './recipe/list-recipes.js';
import { seedRecipes } from './recipe/seed-recipes.js';
import { updateRecipe } from './recipe/update-recipe.js';
import { listGameServices } from './standalone/list-game-services.js';
import { registerGameService } from './standalone/register-game-service.js';

export function buildHandlers(s: Services): Handlers {
  return {
    createRecipe: createRecipe(s),
    getRecipe: getRecipe(s),
    listRecipes: listRecipes(s),
    updateRecipe: updateRecipe(s),
    deprecateRecipe: deprecateRecipe(s),
    seedRecipes: seedRecipes(s),
    listRecipeDomains: listRecipeDomains(s),
    cleanDeprecatedRecipes: cleanDeprecatedRecipes(s),

    startSession: notImplemented('startSession'),
    advanceSession: notImplemented('advanceSession'),
    cancelSession: notImplemented('cancelSession'),
    getSession: notImplemented('getSession'),
    listSessions: notImplemented('listSessions'),
    completeSession: notImplemented('completeSession'),

    getProficiency: notImplemented('getProficiency'),
    listProficiencies: notImplemented('listProficiencies'),
    grantProficiency: notImplemented('grantProficiency'),
    setProficiency: notImplemented('setProficiency'),

    registerStation: notImplemented('registerStation'),
    getStation: notImplemented('getStation'),
    listStations: notImplemented('listStations'),
    deregisterStation: notImplemented('deregisterStation'),

    attemptDiscovery: notImplemented('attemptDiscovery'),
    listKnownRecipes: notImplemented('listKnownRecipes'),
    teachRecipe: notImplemented('teachRecipe'),

    canCraft: notImplemented('canCraft'),
    estimateQuality: notImplemented('estimateQuality'),
    getOutputPreview: notImplemented('getOutputPreview'),
    getNpcVariables: notImplemented('getNpcVariables'),

    cleanupByGameService: notImplemented('cleanupByGameService'),
    cleanupByEntity: notImplemented('cleanupByEntity'),
    cleanupByLocation: notImplemented('cleanupByLocation'),

    registerGameService: registerGameService(s),
    listGameServices: listGameServices(s),
  };
}
