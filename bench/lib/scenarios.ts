// The measured scenarios of issue 6, as autocannon request definitions over the seeded world.
import type autocannon from 'autocannon';
import type { Api } from './api.js';
import { config } from './config.js';
import { latencySummary, rotatingPost, type LoadSpec, type RunStats } from './load.js';
import { CRAFT_RECIPE, LONG_RECIPE, LONG_STEPS, RULES_ESTIMATE_PLAN, RULES_ESTIMATE_RECIPE, RULES_RECIPE, RULES_TURNS, type AdvanceSession, type Entity, type World } from './seed.js';
import { log, mapPool, now, prng, Queue, round, sleep } from './util.js';

type Ctx = Record<string, unknown>;

const stepCode = (i: number) => `w${String(i).padStart(2, '0')}`;

/** 1. recipe/get by game service + code, over all 1,000 codes (the warm-up fills the cache). */
export function recipeGet(url: string, token: string, world: World): LoadSpec {
  const bodies = world.recipeCodes.map((code) => JSON.stringify({ gameServiceId: world.gs, code }));
  return { name: 'recipe-get', label: 'recipe/get by code (cache warm)', url, headers: auth(token), requests: rotatingPost('/craft/recipe/get', bodies) };
}

/**
 * 4. query/npc-variables, 10 variables per request, for NPCs and characters of every domain:
 * can_craft x2, materials_for x2, proficiency x2, station_nearby, queue_depth,
 * last_craft_quality and best_recipe (over the game service's 1,000 recipes), or, in the
 * `withBest: false` variant, a second station_nearby instead of best_recipe.
 */
export function npcVariables(url: string, token: string, world: World, withBest: boolean): LoadSpec {
  const rnd = prng(7);
  const pick = <T>(list: readonly T[]) => list[Math.floor(rnd() * list.length)]!;
  const bodies = world.others.slice(0, 2000).map((e) => {
    const codes = world.recipesByDomain.get(e.domain)!;
    const kit = world.kits.find((k) => k.domain === e.domain)!;
    const other = pick(world.kits);
    return JSON.stringify({
      gameServiceId: world.gs,
      entityId: e.entityId,
      entityType: e.entityType,
      variables: [
        `can_craft.${pick(codes)}`,
        `can_craft.${pick(codes)}`,
        `materials_for.${pick(codes)}`,
        `materials_for.${pick(codes)}`,
        `proficiency.${e.domain}`,
        `proficiency.${other.domain}`,
        `station_nearby.${kit.stationType}`,
        'queue_depth',
        'last_craft_quality',
        withBest ? 'best_recipe' : `station_nearby.${other.stationType}`,
      ],
    });
  });
  return {
    name: withBest ? 'npc-variables' : 'npc-variables-no-best',
    label: withBest ? 'query/npc-variables, 10 variables incl. best_recipe' : 'query/npc-variables, 10 variables, no best_recipe',
    url,
    headers: auth(token),
    requests: rotatingPost('/craft/query/npc-variables', bodies),
  };
}

/** 5. query/estimate-quality of the forge recipe with named materials, tool and station, `simulations` 1,000. */
export function estimateQuality(url: string, token: string, world: World): LoadSpec {
  const recipeId = world.recipeIdByCode.get(CRAFT_RECIPE)!;
  const forges = world.stationsByType.get('forge')!;
  const bodies = world.craftEntities.map((e, i) =>
    JSON.stringify({
      recipeId,
      entityId: e.entityId,
      entityType: e.entityType,
      materialItemIds: [e.items.iron_ingot, e.items.leather_strip],
      toolItemId: e.items.hammer,
      stationId: forges[i % forges.length],
      simulations: config.simulations,
    }),
  );
  return {
    name: 'estimate-quality',
    label: `query/estimate-quality, ${config.simulations} simulations`,
    url,
    headers: auth(token),
    requests: rotatingPost('/craft/query/estimate-quality', bodies),
  };
}

/**
 * 5b. query/estimate-quality of a ruleset recipe: `simulations` (1,000) synthesis sessions of 30
 * turns each, played by a 30-action sequence (the engine's turns, no I/O per simulation).
 */
export function rulesEstimate(url: string, token: string, world: World): LoadSpec {
  const recipeId = world.recipeIdByCode.get(RULES_ESTIMATE_RECIPE)!;
  const bodies = world.rulesEntities.slice(0, 200).map((e) =>
    JSON.stringify({
      recipeId,
      entityId: e.entityId,
      entityType: e.entityType,
      stats: { cp: 1000, control: 150 },
      materialItemIds: [],
      policy: { kind: 'sequence', actions: RULES_ESTIMATE_PLAN },
      simulations: config.simulations,
    }),
  );
  return {
    name: 'rules-estimate',
    label: `query/estimate-quality of a ruleset recipe, ${config.simulations} simulations x 30 turns, 1 connection`,
    url,
    headers: auth(token),
    requests: rotatingPost('/craft/query/estimate-quality', bodies),
  };
}

/**
 * 3. session/advance alone: thousands of sessions of a 20-step recipe, each advanced by one
 * connection at a time (a session is taken from the queue, advanced, and put back at its
 * end), never the final step (no completion). Sessions in flight when a run stops are read
 * back with session/get before the next run. `ensure` starts more sessions (on crafters
 * seeded for it) between runs, so a run never runs out of steps to advance.
 */
export class AdvancePool {
  private readonly queue = new Queue<AdvanceSession>();
  private readonly inFlight = new Set<AdvanceSession>();
  private readonly resync = new Set<AdvanceSession>();
  private readonly crafters: Queue<Entity>;
  /** Advances one session gives: every step but the final one, or RULES_TURNS turns. */
  private readonly perSession: number;
  started = 0;

  /**
   * `steps`: sessions of the 20-step recipe, advanced by step code. `rules`: sessions of the
   * synthesis ruleset recipe, advanced by action (touches and syntheses in turn; no attempt ends).
   */
  constructor(
    private readonly world: World,
    private readonly kind: 'steps' | 'rules' = 'steps',
  ) {
    this.crafters = new Queue(kind === 'steps' ? world.advanceEntities : world.rulesEntities);
    this.perSession = kind === 'steps' ? LONG_STEPS - 1 : RULES_TURNS;
  }

  get remainingSteps(): number {
    let n = 0;
    for (const s of this.queue.toArray()) n += this.perSession - s.next;
    return n;
  }

  /** Starts sessions (session/start, developer token) until `steps` advances are available. */
  async ensure(api: Api, steps: number): Promise<{ started: number; seconds: number; failures: number }> {
    const t0 = now();
    const missing = Math.ceil(Math.max(0, steps - this.remainingSteps) / this.perSession);
    const batch: Entity[] = [];
    for (let i = 0; i < missing; i++) {
      const e = this.crafters.shift();
      if (!e) break;
      batch.push(e);
    }
    const recipeId = this.world.recipeIdByCode.get(this.kind === 'steps' ? LONG_RECIPE : RULES_RECIPE)!;
    const forges = this.world.stationsByType.get('forge')!;
    let failures = 0;
    await mapPool(batch, config.connections, async (e, i) => {
      try {
        const res = await api.post<{ sessionId: string }>('/craft/session/start', {
          recipeId,
          entityId: e.entityId,
          entityType: e.entityType,
          inventoryId: e.inventoryId,
          ...(this.kind === 'steps' ? { stationId: forges[i % forges.length] } : { stats: { cp: 1000, control: 150 } }),
        });
        this.queue.push({ sessionId: res.sessionId, next: 0 });
        this.started++;
      } catch (err) {
        failures++;
        if (failures <= 3) log(`  session start failed: ${err instanceof Error ? err.message : String(err)}`);
      }
    });
    if (this.remainingSteps < steps) log(`  advance pool: only ${this.remainingSteps} steps available (wanted ${steps}); raise BENCH_ADVANCE_RESERVE`);
    return { started: batch.length - failures, seconds: (now() - t0) / 1000, failures };
  }

  spec(name: string, label: string, url: string, token: string, api: Api): LoadSpec {
    return {
      name,
      label,
      url,
      headers: auth(token),
      requests: (stats) => this.requests(stats),
      afterRun: () => this.settle(api),
      extra: (stats) => ({ sessionsExhausted: stats.counters.exhausted ?? 0, sessionsStartedSoFar: this.started }),
    };
  }

  private requests(stats: RunStats): autocannon.Request[] {
    return [
      {
        method: 'POST',
        path: '/craft/session/advance',
        setupRequest: (req, context) => {
          const ctx = context as Ctx;
          let s = this.queue.shift();
          if (!s) {
            // Out of sessions (ensure() was not generous enough): the request is a 404, counted apart.
            stats.count('exhausted');
            s = { sessionId: '00000000-0000-4000-8000-000000000000', next: 0 };
          } else this.inFlight.add(s);
          ctx.s = s;
          req.body = JSON.stringify(
            this.kind === 'steps'
              ? { sessionId: s.sessionId, stepCode: stepCode(s.next), ...(s.next % 2 === 0 && { performance: 0.5 + (s.next % 5) / 10 }) }
              : { sessionId: s.sessionId, action: s.next % 2 === 0 ? 'basic_synthesis' : 'basic_touch' },
          );
          return req;
        },
        onResponse: (status, body, context) => {
          const s = (context as Ctx).s as AdvanceSession;
          if (!this.inFlight.delete(s)) return;
          if (status === 200) {
            s.next++;
            if (s.next < this.perSession) this.queue.push(s);
            return;
          }
          stats.errors.record(status, body);
          this.resync.add(s);
        },
      },
    ];
  }

  /** Reads back every session whose state the bench no longer knows, and queues it again. */
  private async settle(api: Api): Promise<void> {
    // Requests cut off by the end of the run may still be running in the service: let them finish.
    if (this.inFlight.size > 0) await sleep(2000);
    const unknown = [...this.inFlight, ...this.resync];
    this.inFlight.clear();
    this.resync.clear();
    await mapPool(unknown, 8, async (s) => {
      try {
        const { session: info } = await api.post<{ session: { status: string; currentStepCode: string | null; rules: { turn: number } | null } }>('/craft/session/get', { sessionId: s.sessionId });
        if (info.status !== 'active') return;
        if (this.kind === 'rules') s.next = info.rules?.turn ?? this.perSession;
        else if (info.currentStepCode) s.next = Number(info.currentStepCode.slice(1));
        else return;
        if (s.next < this.perSession) this.queue.push(s);
      } catch {
        // dropped
      }
    });
  }
}

/**
 * 2. A full production craft per loop of each connection: session/start of the 4-step forge
 * recipe (materials and the best hammer picked by the service, a random forge), the four
 * session/advance calls (two skill checks with a reported performance), the last of which
 * completes the session (outputs created, experience granted). Each loop takes an idle
 * crafter from a queue (one session per crafter at a time, CRAFT_MAX_ACTIVE_SESSIONS_PER_ENTITY
 * 1) and gives it back once the sword is made. Sessions in flight when a run stops are
 * cancelled before the next run.
 */
export class CraftPool {
  private readonly idle: Queue<Entity>;
  private readonly active = new Set<Ctx>();
  private quarantined = 0;

  constructor(
    private readonly world: World,
    entities: Entity[],
  ) {
    this.idle = new Queue(entities);
  }

  spec(url: string, token: string, api: Api): LoadSpec {
    return {
      name: 'craft',
      label: 'full craft: start + 4 advances (last completes)',
      url,
      headers: auth(token),
      requests: (stats) => this.requests(stats),
      afterRun: () => this.settle(api),
      extra: (stats, seconds) => {
        const start = latencySummary(stats.latencies.start);
        const advance = latencySummary(stats.latencies.advance);
        const complete = latencySummary(stats.latencies.complete);
        return {
          craftsPerSec: round((stats.counters.crafts ?? 0) / seconds, 1),
          crafts: stats.counters.crafts ?? 0,
          completionDeferred: stats.counters.deferred ?? 0,
          startP50: start.p50,
          startP99: start.p99,
          advanceP50: advance.p50,
          advanceP99: advance.p99,
          completingAdvanceP50: complete.p50,
          completingAdvanceP99: complete.p99,
          crafterQuarantined: this.quarantined,
        };
      },
    };
  }

  private requests(stats: RunStats): autocannon.Request[] {
    const recipeId = this.world.recipeIdByCode.get(CRAFT_RECIPE)!;
    const forges = this.world.stationsByType.get('forge')!;
    const steps = ['heat_metal', 'hammer_blade', 'quench', 'attach_grip'];
    let n = 0;
    const start: autocannon.Request = {
      method: 'POST',
      path: '/craft/session/start',
      setupRequest: (req, context) => {
        const ctx = context as Ctx;
        const e = this.idle.shift();
        if (!e) throw new Error('craft scenario: no idle crafter left (raise BENCH_CRAFT_ENTITIES)');
        ctx.e = e;
        ctx.t0 = now();
        this.active.add(ctx);
        req.body = JSON.stringify({
          recipeId,
          entityId: e.entityId,
          entityType: e.entityType,
          inventoryId: e.inventoryId,
          stationId: forges[n++ % forges.length],
        });
        return req;
      },
      onResponse: (status, body, context) => {
        const ctx = context as Ctx;
        stats.latency('start', now() - (ctx.t0 as number));
        if (status === 200) {
          ctx.sessionId = (JSON.parse(body) as { sessionId: string }).sessionId;
          return;
        }
        stats.errors.record(status, body);
        this.active.delete(ctx);
        this.quarantined++;
      },
    };
    const advances = steps.map(
      (code, j): autocannon.Request => ({
        method: 'POST',
        path: '/craft/session/advance',
        setupRequest: (req, context) => {
          const ctx = context as Ctx;
          if (!ctx.sessionId) return null as unknown as autocannon.Request; // start failed: next loop
          ctx.t0 = now();
          req.body = JSON.stringify({ sessionId: ctx.sessionId, stepCode: code, ...(j < 2 && { performance: 0.8 }) });
          return req;
        },
        onResponse: (status, body, context) => {
          const ctx = context as Ctx;
          const last = j === steps.length - 1;
          stats.latency(last ? 'complete' : 'advance', now() - (ctx.t0 as number));
          if (status !== 200) {
            stats.errors.record(status, body);
            ctx.sessionId = undefined;
            this.active.delete(ctx);
            this.quarantined++;
            return;
          }
          if (!last) return;
          const res = JSON.parse(body) as { status: string };
          if (res.status === 'completed') stats.count('crafts');
          else stats.count('deferred');
          this.active.delete(ctx);
          this.idle.push(ctx.e as Entity);
        },
      }),
    );
    return [start, ...advances];
  }

  /** Cancels the sessions a stopped run left mid-way (materials go back) and frees their crafters. */
  private async settle(api: Api): Promise<void> {
    if (this.active.size > 0) await sleep(2000); // let requests cut off by the end of the run finish
    const left = [...this.active];
    this.active.clear();
    for (const ctx of left) {
      if (typeof ctx.sessionId !== 'string') {
        this.quarantined++; // its start may or may not have happened
        continue;
      }
      try {
        await api.post('/craft/session/cancel', { sessionId: ctx.sessionId });
        this.idle.push(ctx.e as Entity);
      } catch {
        this.quarantined++;
      }
    }
  }
}

export function auth(token: string): Record<string, string> {
  return { authorization: `Bearer ${token}` };
}
