import type { Crafter, Economy } from './economy.js';
import type { Fleet, Reply } from './fleet.js';

/** A small seeded PRNG (mulberry32): a failing mix can be replayed with its seed. */
export function prng(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface LoadReport {
  requests: number;
  /** Answers per HTTP status (0 = the connection failed: a killed instance). */
  statuses: Record<number, number>;
  /** 5xx answers other than 503 DEPENDENCY_UNAVAILABLE (the honest "a dependency is down"), at most 20. */
  unexpected: Reply[];
  sessionsStarted: number;
}

const SWORD_STEPS = ['heat_metal', 'hammer_blade', 'quench', 'attach_grip'];

/**
 * Concurrent clients crafting on a shared economy: every client picks any crafter, so
 * several clients compete for the same inventory, wallet and sessions. Mix per turn:
 * forge a sword (sometimes cancelling midway), temper a blade (a ruleset craft with
 * attempts, a consumable, losses and sometimes an ember in its extra slot), modify or salvage a
 * sword, etch runes on one (a failure breaks it), mend a damaged one, attempt a discovery, or
 * cancel somebody else's session.
 */
export async function runMix(
  fleet: Fleet,
  eco: Economy,
  opts: { clients: number; turns: number; seed: number; between?: () => Promise<void> },
): Promise<LoadReport> {
  const report: LoadReport = { requests: 0, statuses: {}, unexpected: [], sessionsStarted: 0 };
  const live: string[] = [];
  const call = async (path: string, body: unknown) => {
    const res = await fleet.post(path, body);
    report.requests++;
    report.statuses[res.status] = (report.statuses[res.status] ?? 0) + 1;
    const honest = res.status === 503 && res.body?.code === 'DEPENDENCY_UNAVAILABLE';
    if (res.status >= 500 && !honest && report.unexpected.length < 20) report.unexpected.push({ status: res.status, body: { path, ...res.body } });
    return res;
  };
  const start = async (c: Crafter, recipe: string, extra: Record<string, unknown> = {}) => {
    const res = await call('/craft/session/start', { recipeId: eco.recipeIds[recipe], entityId: c.entityId, entityType: c.entityType, inventoryId: c.inventoryId, ...extra });
    if (res.status !== 200) return null;
    report.sessionsStarted++;
    live.push(res.body.sessionId);
    return res.body.sessionId as string;
  };
  const advance = async (sessionId: string, stepCode: string, rnd: () => number) => {
    for (let attempt = 0; attempt < 5; attempt++) {
      const res = await call('/craft/session/advance', { sessionId, stepCode, performance: Math.round(rnd() * 100) / 100 });
      if (res.body?.code !== 'SESSION_LOCKED') return res.status === 200;
    }
    return false;
  };
  type Held = { instanceId: string; itemTemplateCode: string; instanceMetadata?: Record<string, unknown> };
  const itemsOf = async (c: Crafter, code: string, where: (i: Held) => boolean = () => true): Promise<string[]> => {
    const res = await call('/dev/inventory/get', { containerId: c.inventoryId, gameServiceId: eco.gs });
    if (res.status !== 200) return [];
    return (res.body.items as Held[]).filter((i) => i.itemTemplateCode === code && where(i)).map((i) => i.instanceId);
  };

  const forge = async (c: Crafter, rnd: () => number) => {
    const id = await start(c, 'forge_iron_sword', { stationId: eco.stationId });
    if (!id) return;
    const stopAt = rnd() < 0.15 ? Math.floor(rnd() * SWORD_STEPS.length) : SWORD_STEPS.length;
    // Sometimes the work is saved for later after its first step and resumed (materials stay in escrow).
    const pauseAfter = rnd() < 0.1 ? 1 : -1;
    for (const [i, step] of SWORD_STEPS.slice(0, stopAt).entries()) {
      if (!(await advance(id, step, rnd))) break;
      if (i + 1 === pauseAfter && (await call('/craft/session/pause', { sessionId: id })).status === 200) {
        // A client that paused comes back: it resumes (retrying what the chaos cut), or gives up and cancels.
        let back = false;
        for (let tries = 0; tries < 10 && !back; tries++) {
          const res = await call(tries < 5 ? '/craft/session/resume' : '/craft/session/cancel', { sessionId: id });
          back = res.status === 200 || res.body?.code === 'SESSION_NOT_ACTIVE';
          if (!back) await new Promise((r) => setTimeout(r, 200 * (tries + 1)));
        }
      }
    }
    if (stopAt < SWORD_STEPS.length) await call('/craft/session/cancel', { sessionId: id });
  };
  const reworkSword = async (c: Crafter, rnd: () => number, modify: boolean) => {
    const swords = await itemsOf(c, 'iron_sword');
    const target = swords[Math.floor(rnd() * swords.length)];
    if (!target) return;
    const id = await start(c, modify ? 'inscribe_flames' : 'salvage_weapon', { targetItemId: target, ...(!modify && { stationId: eco.stationId }) });
    if (id) await advance(id, modify ? 'inscribe' : 'disassemble', rnd);
  };
  // A ruleset craft: actions until the attempt ends; a failed first attempt is retried or
  // cancelled (its loss already destroyed), and sometimes the client walks away mid-attempt.
  const temper = async (c: Crafter, rnd: () => number) => {
    const [ember] = rnd() < 0.3 ? await itemsOf(c, 'ember') : [];
    const id = await start(c, 'temper_blade', { ...(rnd() < 0.3 && { batch: 2 }), ...(ember && { materialsBySlot: { charm: [ember] } }) });
    if (!id) return;
    for (let moves = 0; moves < 12; moves++) {
      if (rnd() < 0.04) return void (await call('/craft/session/cancel', { sessionId: id }));
      const action = rnd() < 0.2 ? 'flux' : 'strike';
      const res = await call('/craft/session/advance', { sessionId: id, action });
      if (res.status === 200 && res.body.status !== 'active') return;
      if (res.status === 200 && res.body.rules?.awaitingRetry) {
        if (rnd() < 0.7) await call('/craft/session/retry', { sessionId: id });
        else return void (await call('/craft/session/cancel', { sessionId: id }));
      } else if (res.status !== 200 && !['SESSION_LOCKED', 'ACTION_NOT_AVAILABLE', 'CONSUMABLE_NOT_AVAILABLE'].includes(res.body?.code)) return;
    }
  };
  // A ruleset modification: one etch at 50 %; a failure breaks the sword (destroyed once).
  const etch = async (c: Crafter, rnd: () => number) => {
    const swords = await itemsOf(c, 'iron_sword');
    const target = swords[Math.floor(rnd() * swords.length)];
    if (!target) return;
    const id = await start(c, 'etch_runes', { targetItemId: target });
    if (!id) return;
    for (let tries = 0; tries < 5; tries++) {
      const res = await call('/craft/session/advance', { sessionId: id, action: 'etch' });
      if (res.body?.code !== 'SESSION_LOCKED') return;
    }
  };
  // A repair: a damaged sword back to intact for an ingot.
  const mend = async (c: Crafter, rnd: () => number) => {
    const damaged = await itemsOf(c, 'iron_sword', (i) => i.instanceMetadata?.condition === 'damaged');
    const target = damaged[Math.floor(rnd() * damaged.length)];
    if (!target) return;
    const id = await start(c, 'mend_sword', { targetItemId: target });
    if (id) await advance(id, 'mend', rnd);
  };
  const discover = async (c: Crafter) => {
    const [ingot] = await itemsOf(c, 'iron_ingot');
    const [strip] = await itemsOf(c, 'leather_strip');
    if (!ingot || !strip) return;
    await call('/craft/discovery/attempt', { entityId: c.entityId, entityType: c.entityType, gameServiceId: eco.gs, inventoryId: c.inventoryId, materialItemIds: [ingot, strip] });
  };

  const turn = async (rnd: () => number) => {
    const c = eco.crafters[Math.floor(rnd() * eco.crafters.length)]!;
    const roll = rnd();
    if (roll < 0.36) await forge(c, rnd);
    else if (roll < 0.48) await temper(c, rnd);
    else if (roll < 0.56) await reworkSword(c, rnd, true);
    else if (roll < 0.65) await reworkSword(c, rnd, false);
    else if (roll < 0.72) await etch(c, rnd);
    else if (roll < 0.79) await mend(c, rnd);
    else if (roll < 0.88) await discover(c);
    else {
      const victim = live[Math.floor(rnd() * live.length)];
      if (victim) await call('/craft/session/cancel', { sessionId: victim });
    }
  };

  await Promise.all(
    Array.from({ length: opts.clients }, async (_, i) => {
      const rnd = prng(opts.seed * 1000 + i);
      for (let t = 0; t < opts.turns; t++) {
        await turn(rnd);
        if (opts.between) await opts.between();
      }
    }),
  );
  return report;
}
