import type { Services } from '../../services/services.js';
import type { Handlers } from '../route-types.js';
import { attemptDiscovery } from './discovery/attempt-discovery.js';
import { listKnownRecipes } from './discovery/list-known-recipes.js';
import { teachRecipe } from './discovery/teach-recipe.js';
import { cleanupByEntity } from './cleanup/cleanup-by-entity.js';
import { cleanupByGameService } from './cleanup/cleanup-by-game-service.js';
import { cleanupByLocation } from './cleanup/cleanup-by-location.js';
import { canCraft } from './query/can-craft.js';
import { estimateQuality } from './query/estimate-quality.js';
import { getNpcVariables } from './query/get-npc-variables.js';
import { getOutputPreview } from './query/get-output-preview.js';
import { terminateContract } from './standalone/terminate-contract.js';
import { createAffixDefinition } from './standalone/create-affix-definition.js';
import { setAffixItemState } from './standalone/set-affix-item-state.js';
import { getAffixItem } from './standalone/get-affix-item.js';
import { getWallet } from './standalone/get-wallet.js';
import { creditWallet } from './standalone/credit-wallet.js';
import { grantItem } from './standalone/grant-item.js';
import { getInventory } from './standalone/get-inventory.js';
import { createInventory } from './standalone/create-inventory.js';
import { listItemTemplates } from './standalone/list-item-templates.js';
import { createItemTemplate } from './standalone/create-item-template.js';
import { completeSession } from './session/complete-session.js';
import { listSessions } from './session/list-sessions.js';
import { getSession } from './session/get-session.js';
import { cancelSession } from './session/cancel-session.js';
import { pauseSession, resumeSession } from './session/pause-session.js';
import { advanceSession } from './session/advance-session.js';
import { startSession } from './session/start-session.js';
import { retrySession } from './session/retry-session.js';
import { createRuleset } from './ruleset/create-ruleset.js';
import { getRuleset } from './ruleset/get-ruleset.js';
import { listRulesets } from './ruleset/list-rulesets.js';
import { updateRuleset } from './ruleset/update-ruleset.js';
import { deprecateRuleset } from './ruleset/deprecate-ruleset.js';
import { getProficiency } from './proficiency/get-proficiency.js';
import { grantProficiency } from './proficiency/grant-proficiency.js';
import { listProficiencies } from './proficiency/list-proficiencies.js';
import { setProficiency } from './proficiency/set-proficiency.js';
import { cleanDeprecatedRecipes } from './recipe/clean-deprecated-recipes.js';
import { createRecipe } from './recipe/create-recipe.js';
import { deprecateRecipe } from './recipe/deprecate-recipe.js';
import { getRecipe } from './recipe/get-recipe.js';
import { listRecipeDomains } from './recipe/list-recipe-domains.js';
import { listRecipes } from './recipe/list-recipes.js';
import { seedRecipes } from './recipe/seed-recipes.js';
import { updateRecipe } from './recipe/update-recipe.js';
import { deregisterStation } from './station/deregister-station.js';
import { getStation } from './station/get-station.js';
import { listStations } from './station/list-stations.js';
import { registerStation } from './station/register-station.js';
import { getGameServiceSettings } from './settings/get-settings.js';
import { setGameServiceSettings } from './settings/set-settings.js';
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

    createRuleset: createRuleset(s),
    getRuleset: getRuleset(s),
    listRulesets: listRulesets(s),
    updateRuleset: updateRuleset(s),
    deprecateRuleset: deprecateRuleset(s),

    startSession: startSession(s),
    advanceSession: advanceSession(s),
    cancelSession: cancelSession(s),
    pauseSession: pauseSession(s),
    resumeSession: resumeSession(s),
    getSession: getSession(s),
    listSessions: listSessions(s),
    completeSession: completeSession(s),
    retrySession: retrySession(s),

    getProficiency: getProficiency(s),
    listProficiencies: listProficiencies(s),
    grantProficiency: grantProficiency(s),
    setProficiency: setProficiency(s),

    registerStation: registerStation(s),
    getGameServiceSettings: getGameServiceSettings(s),
    setGameServiceSettings: setGameServiceSettings(s),
    getStation: getStation(s),
    listStations: listStations(s),
    deregisterStation: deregisterStation(s),

    attemptDiscovery: attemptDiscovery(s),
    listKnownRecipes: listKnownRecipes(s),
    teachRecipe: teachRecipe(s),

    canCraft: canCraft(s),
    estimateQuality: estimateQuality(s),
    getOutputPreview: getOutputPreview(s),
    getNpcVariables: getNpcVariables(s),

    cleanupByGameService: cleanupByGameService(s),
    cleanupByEntity: cleanupByEntity(s),
    cleanupByLocation: cleanupByLocation(s),

    registerGameService: registerGameService(s),
    listGameServices: listGameServices(s),
    createItemTemplate: createItemTemplate(s),
    listItemTemplates: listItemTemplates(s),
    createInventory: createInventory(s),
    getInventory: getInventory(s),
    grantItem: grantItem(s),
    creditWallet: creditWallet(s),
    getWallet: getWallet(s),
    terminateContract: terminateContract(s),
    createAffixDefinition: createAffixDefinition(s),
    setAffixItemState: setAffixItemState(s),
    getAffixItem: getAffixItem(s),
  };
}
