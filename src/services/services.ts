import type { CleanupService } from './cleanup/cleanup-service.js';
import type { DiscoveryService } from './discovery/discovery-service.js';
import type { ProficiencyService } from './proficiency/proficiency-service.js';
import type { NpcVariableProvider } from './queries/npc-variables.js';
import type { QueryService } from './queries/query-service.js';
import type { RecipeService } from './recipes/recipe-service.js';
import type { RulesetService } from './rulesets/ruleset-service.js';
import type { GameServiceAdmin } from './standalone/game-service-admin.js';
import type { SessionService } from './sessions/session-service.js';
import type { StandaloneAdmin } from './standalone/standalone-admin.js';
import type { SettingsService } from './settings/settings-service.js';
import type { StationService } from './stations/station-service.js';

/** The application services the HTTP layer may call; one per aggregate. */
export interface Services {
  recipes: RecipeService;
  rulesets: RulesetService;
  gameServiceAdmin: GameServiceAdmin;
  proficiency: ProficiencyService;
  stations: StationService;
  settings: SettingsService;
  sessions: SessionService;
  standalone: StandaloneAdmin;
  discovery: DiscoveryService;
  cleanup: CleanupService;
  queries: QueryService;
  npcVariables: NpcVariableProvider;
}
