import { PrismaProficiencyRepository } from '../infra/repositories/prisma-proficiency-repository.js';
import { PrismaRecipeRepository } from '../infra/repositories/prisma-recipe-repository.js';
import { PrismaRulesetRepository } from '../infra/repositories/prisma-ruleset-repository.js';
import { PrismaSettingsRepository } from '../infra/repositories/prisma-settings-repository.js';
import { PrismaStationRepository } from '../infra/repositories/prisma-station-repository.js';
import { LocalProficiencyStore } from '../services/proficiency/local-proficiency-store.js';
import { ProficiencyService } from '../services/proficiency/proficiency-service.js';
import type { ProficiencyStore } from '../services/proficiency/proficiency-store.js';
import { SeedProficiencyStore } from '../services/proficiency/seed-proficiency-store.js';
import { RecipeService } from '../services/recipes/recipe-service.js';
import { RulesetService } from '../services/rulesets/ruleset-service.js';
import type { ProficiencyAccess, StationAccess } from '../services/sessions/session-ports.js';
import { SettingsService } from '../services/settings/settings-service.js';
import { StationService } from '../services/stations/station-service.js';
import type { Wiring } from './infra.js';
import type { Neighbours } from './neighbours.js';

/** What sessions craft from and with: proficiency, rulesets, recipes, stations, and each game service's settings. */
export function wireCatalog(w: Wiring, n: Neighbours) {
  const { config, log, clock, ids, infra } = w;
  const { uow, outbox } = infra;
  const gameServices = n.gameServices;

  // CRAFT_PROFICIENCY_SOURCE: the seed service (the stub in standalone mode) or the local table.
  const proficiencyRepo = new PrismaProficiencyRepository(infra.prisma);
  const proficiencySettings = {
    maxProficiencyLevel: config.maxProficiencyLevel,
    levelExperienceBase: config.levelExperienceBase,
    phaseThresholds: config.phaseThresholds,
    experienceScalingFactor: config.experienceScalingFactor,
  };
  // Without a seed service (none configured outside standalone mode) proficiency falls back to the local table.
  if (config.proficiencySource === 'seed' && !n.seed) log.warn('CRAFT_PROFICIENCY_SOURCE=seed but no seed service is configured (CRAFT_SEED_URL): proficiency is kept locally');
  const proficiencyStore: ProficiencyStore =
    config.proficiencySource === 'seed' && n.seed
      ? new SeedProficiencyStore({ seed: n.seed, clock, settings: proficiencySettings })
      : new LocalProficiencyStore({ repo: proficiencyRepo, clock, ids, settings: proficiencySettings });
  const proficiency = new ProficiencyService({
    store: proficiencyStore,
    domains: proficiencyRepo,
    uow,
    outbox,
    gameServices,
    clock,
    ids,
    log,
    settings: proficiencySettings,
  });
  const rulesets = new RulesetService({ repo: new PrismaRulesetRepository(infra.prisma), uow, gameServices, clock, ids });
  const recipes = new RecipeService({
    rulesets,
    repo: new PrismaRecipeRepository(infra.prisma),
    metrics: infra.metrics,
    cache: infra.cache,
    uow,
    outbox,
    locks: infra.locks,
    gameServices,
    clock,
    ids,
    log,
    settings: { maxRecipesPerGameService: config.maxRecipesPerGameService, maxProficiencyLevel: config.maxProficiencyLevel },
    // Seed source: the `proficiency:<domain>` seed types of every domain a recipe names.
    registerDomains: (gameServiceId, domains) => proficiency.registerDomains(gameServiceId, domains),
  });
  const stations = new StationService({
    repo: new PrismaStationRepository(infra.prisma),
    gameServices,
    locations: n.location, // null without a location service: locations are not checked
    clock,
    ids,
    log,
  });

  const proficiencyAccess: ProficiencyAccess = {
    levelOf: (gs, entityId, entityType, domain) => proficiency.levelOf(gs, { entityId, entityType }, domain),
    grantInTx: (tx, input) => proficiency.grantInTx(tx, input),
  };
  const stationAccess: StationAccess = {
    find: (stationId, gameServiceId) => stations.find(stationId, gameServiceId),
    claim: (tx, stationId, sessionId) => stations.claim(tx, stationId, sessionId),
    release: async (tx, stationId, sessionId) => {
      await stations.release(tx, stationId, sessionId);
    },
  };
  const settings = new SettingsService({ repo: new PrismaSettingsRepository(infra.prisma), gameServices }, { maxPausedSeconds: config.maxPausedSeconds });
  return { proficiency, rulesets, recipes, stations, settings, proficiencyAccess, stationAccess };
}

export type Catalog = ReturnType<typeof wireCatalog>;
