import { PrismaQueryRepository } from '../infra/repositories/prisma-query-repository.js';
import { NpcVariableProvider } from '../services/queries/npc-variables.js';
import { EstimateThreads } from '../services/queries/estimate-threads.js';
import { QueryService } from '../services/queries/query-service.js';
import { GameServiceRecipeCache } from '../services/queries/recipe-list-cache.js';
import { CraftAssessor } from '../services/sessions/craft-assessor.js';
import type { Catalog } from './catalog.js';
import type { Wiring } from './infra.js';
import type { Neighbours } from './neighbours.js';
import type { Sessions } from './sessions.js';

/** Read-only questions: can-craft (the assessor), estimates, previews and NPC variables. */
export function wireQueries(w: Wiring, n: Neighbours, c: Catalog, s: Sessions) {
  const { config, infra } = w;
  const repo = new PrismaQueryRepository(infra.prisma);
  /** "Can this entity craft this recipe now?", with the full breakdown (queries, discovery, NPC variables). */
  const assessor = new CraftAssessor({
    planner: s.planner,
    templates: s.templates,
    inventory: n.inventory,
    item: n.item,
    currency: n.currency,
    levels: (gameServiceId, entityId, entityType) => c.proficiency.levels(gameServiceId, { entityId, entityType }),
    knownRecipeIds: (gameServiceId, entityId, entityType) => repo.knownRecipeIds(gameServiceId, entityId, entityType),
    activeStations: (gameServiceId) => repo.activeStations(gameServiceId),
  });
  const estimateThreads = new EstimateThreads(config.estimateThreads);
  const queries = new QueryService({
    recipes: c.recipes,
    rulesets: c.rulesets,
    simulator: estimateThreads,
    templates: s.templates,
    assessor,
    item: n.item,
    proficiency: c.proficiencyAccess,
    stations: c.stationAccess,
    defaultQualityWeights: config.defaultQualityWeights,
  });
  const npcVariables = new NpcVariableProvider({
    assessor,
    queries,
    repo,
    recipeLists: new GameServiceRecipeCache(repo, { maxEntries: 64, maxAgeMs: 60_000 }),
    defaultQualityWeights: config.defaultQualityWeights,
  });
  return { assessor, queries, npcVariables, estimateThreads };
}

export type Queries = ReturnType<typeof wireQueries>;
