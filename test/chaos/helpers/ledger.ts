import { DeliverPolicy, jetstream, jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import { createPool, type Pool } from 'mariadb';
import { SWORD_COST, TEMPER_INPUT, type Economy } from './economy.js';
import type { Fleet } from './fleet.js';
import { until } from './infra.js';

/** The stream of lib-craft's own events (CRAFT_NATS_STREAM's default). */
const EVENT_STREAM = 'CRAFT';
const r4 = (n: unknown) => Math.round(Number(n ?? 0) * 10_000) / 10_000;

/** Read-only access to what the service and its stubs stored, for the audits. */
/** Flux is burnt one per attempt at most (a charge per attempt, two attempts): never more. */
function fluxProblems(s: { id: string; recipeCode: string }, box: Record<string, { consumed: number }>): string[] {
  const burnt = box.flux?.consumed ?? 0;
  if (s.recipeCode !== 'temper_blade' && burnt > 0) return [`session ${s.id} (${s.recipeCode}) burnt ${burnt} flux`];
  return burnt > 2 ? [`session ${s.id} burnt ${burnt} flux in at most 2 attempts`] : [];
}

export class Ledger {
  readonly db: Pool;
  constructor(databaseUrl: string, private readonly natsUrl: string) {
    const url = new URL(databaseUrl);
    this.db = createPool({ host: url.hostname, port: Number(url.port), user: url.username || 'root', database: url.pathname.slice(1), connectionLimit: 2, bigIntAsNumber: true });
  }

  async sessions(gs: string) {
    return this.db.query<
      {
        id: string;
        status: string;
        recipeCode: string;
        entityId: string;
        escrowContainerId: string | null;
        outputItemIds: string | null;
        pendingEffects: number;
        targetItemId: string | null;
        failureReason: string | null;
        batch: number;
        contractId: string | null;
      }[]
    >(
      `SELECT id, status, recipeCode, entityId, escrowContainerId, outputItemIds, pendingEffects, targetItemId, failureReason, contractId,
        COALESCE(JSON_VALUE(recipeSnapshot, '$.batch'), 1) AS batch
      FROM CraftSession WHERE gameServiceId = ?`,
      [gs],
    );
  }

  async statusCounts(gs: string): Promise<Record<string, number>> {
    const rows = await this.db.query<{ status: string; n: number }[]>('SELECT status, COUNT(*) AS n FROM CraftSession WHERE gameServiceId = ? GROUP BY status', [gs]);
    return Object.fromEntries(rows.map((r) => [r.status, Number(r.n)]));
  }

  /** Sessions per recipe code and status. */
  async recipeStatuses(gs: string): Promise<Record<string, Record<string, number>>> {
    const rows = await this.db.query<{ recipeCode: string; status: string; n: number }[]>(
      'SELECT recipeCode, status, COUNT(*) AS n FROM CraftSession WHERE gameServiceId = ? GROUP BY recipeCode, status',
      [gs],
    );
    const out: Record<string, Record<string, number>> = {};
    for (const r of rows) out[r.recipeCode] = { ...out[r.recipeCode], [r.status]: Number(r.n) };
    return out;
  }

  /** Ruleset crafts: tempering sessions per status, the ingots their failed attempts destroyed, and how many tempered two blades at once. */
  async tempering(gs: string): Promise<{ statuses: Record<string, number>; lostIngots: number; batches: number }> {
    const rows = await this.db.query<{ status: string; n: number }[]>(
      `SELECT status, COUNT(*) AS n FROM CraftSession WHERE gameServiceId = ? AND recipeCode = 'temper_blade' GROUP BY status`,
      [gs],
    );
    const [lost] = await this.db.query<{ n: number | null }[]>(
      `SELECT SUM(i.quantity) AS n FROM stub_item_instance i JOIN stub_container c ON c.id = i.containerId AND c.containerType = 'loss'
       WHERE i.gameServiceId = ? AND i.destroyReason = 'Consumed'`,
      [gs],
    );
    const [batches] = await this.db.query<{ n: number }[]>(
      `SELECT COUNT(*) AS n FROM CraftSession WHERE gameServiceId = ? AND recipeCode = 'temper_blade' AND JSON_VALUE(recipeSnapshot, '$.batch') = 2`,
      [gs],
    );
    return { statuses: Object.fromEntries(rows.map((r) => [r.status, Number(r.n)])), lostIngots: Number(lost?.n ?? 0), batches: Number(batches?.n ?? 0) };
  }

  async unpublished(): Promise<number> {
    const [row] = await this.db.query<{ n: number }[]>('SELECT COUNT(*) AS n FROM OutboxEvent WHERE publishedAt IS NULL');
    return Number(row!.n);
  }

  /**
   * Brings every session to rest: clients may have left sessions active (an instance died
   * under them, a dependency was down), so those are cancelled through the API; then the
   * recovery passes finish whatever is mid-transition and the outbox drains.
   */
  async settle(fleet: Fleet, gs: string, timeoutMs = 90_000) {
    await until(
      'every session to come to rest and every event to be relayed',
      async () => {
        const rows = await this.sessions(gs);
        for (const s of rows.filter((r) => r.status === 'active')) await fleet.post('/craft/session/cancel', { sessionId: s.id });
        const moving = rows.some((r) => !['completed', 'cancelled', 'failed'].includes(r.status) || r.pendingEffects);
        return !moving && (await this.unpublished()) === 0;
      },
      timeoutMs,
      500,
    );
  }

  /** Per template: live (in any container), consumed, crafted; summed over instances. */
  async items(gs: string) {
    const rows = await this.db.query<{ code: string; live: number; consumed: number; crafted: number }[]>(
      `SELECT t.code AS code,
        SUM(CASE WHEN i.destroyedAt IS NULL THEN i.quantity ELSE 0 END) AS live,
        SUM(CASE WHEN i.destroyReason IN ('Consumed', 'Destroyed') THEN i.quantity ELSE 0 END) AS consumed,
        SUM(CASE WHEN i.originType = 'Craft' THEN i.quantity ELSE 0 END) AS crafted
      FROM stub_item_instance i JOIN stub_item_template t ON t.id = i.templateId
      WHERE t.gameServiceId = ? GROUP BY t.code`,
      [gs],
    );
    return Object.fromEntries(rows.map((r) => [r.code, { live: r4(r.live), consumed: r4(r.consumed), crafted: r4(r.crafted) }]));
  }

  /**
   * Every invariant of the economy after the dust settles; returns a list of violations
   * (empty when all hold), so a failure shows every broken law at once.
   */
  async audit(eco: Economy): Promise<string[]> {
    const problems: string[] = [];
    const items = await this.items(eco.gs);
    // 1. Conservation per template: granted + crafted = live + consumed (used up, or a broken target).
    for (const code of new Set([...Object.keys(items), ...Object.keys(eco.granted)])) {
      const a = items[code] ?? { live: 0, consumed: 0, crafted: 0 };
      const expected = r4((eco.granted[code] ?? 0) + a.crafted);
      if (r4(a.live + a.consumed) !== expected) problems.push(`${code}: live ${a.live} + consumed ${a.consumed} != granted ${eco.granted[code] ?? 0} + crafted ${a.crafted}`);
    }
    const sessions = await this.sessions(eco.gs);
    // A crafted stack split by a later transfer keeps its origin: count quantities, not rows.
    const crafted = await this.db.query<{ originId: string; id: string; quantity: number }[]>(
      `SELECT i.originId, i.id, i.quantity FROM stub_item_instance i WHERE i.gameServiceId = ? AND i.originType = 'Craft'`,
      [eco.gs],
    );
    const craftedBy = new Map<string, { ids: Set<string>; quantity: number }>();
    for (const c of crafted) {
      const entry = craftedBy.get(c.originId) ?? { ids: new Set<string>(), quantity: 0 };
      entry.ids.add(c.id);
      entry.quantity = r4(entry.quantity + Number(c.quantity));
      craftedBy.set(c.originId, entry);
    }
    // Every container a session owns (its escrow, and the loss container of a ruleset session).
    const escrow = await this.db.query<{ sessionId: string; code: string; live: number; consumed: number; containers: string }[]>(
      `SELECT c.ownerId AS sessionId, t.code, GROUP_CONCAT(DISTINCT CONCAT(c.containerType, ':', c.id, CASE WHEN i.destroyedAt IS NULL THEN ':live' ELSE '' END)) AS containers,
        SUM(CASE WHEN i.destroyedAt IS NULL THEN i.quantity ELSE 0 END) AS live,
        SUM(CASE WHEN i.destroyReason = 'Consumed' THEN i.quantity ELSE 0 END) AS consumed
      FROM stub_item_instance i JOIN stub_item_template t ON t.id = i.templateId
      JOIN stub_container c ON c.id = i.containerId AND c.ownerType = 'craft-session'
      WHERE i.gameServiceId = ? GROUP BY c.ownerId, t.code`,
      [eco.gs],
    );
    const inEscrow = new Map<string, Record<string, { live: number; consumed: number; containers: string }>>();
    for (const e of escrow) inEscrow.set(e.sessionId, { ...inEscrow.get(e.sessionId), [e.code]: { live: r4(e.live), consumed: r4(e.consumed), containers: e.containers } });
    const consumes: Record<string, Record<string, number>> = {
      forge_iron_sword: { iron_ingot: 3, leather_strip: 1 },
      forge_dagger: { iron_ingot: 1 },
      inscribe_flames: { fire_reagent: 1 },
      salvage_weapon: { iron_sword: 1 },
      temper_blade: TEMPER_INPUT,
      etch_runes: { fire_reagent: 1 },
      mend_sword: { iron_ingot: 1 },
    };
    const targets = await this.targets(eco.gs);
    const swordsPerEntity: Record<string, number> = {};
    for (const s of sessions) {
      // 2. Every session at rest.
      if (!['completed', 'cancelled', 'failed'].includes(s.status) || s.pendingEffects) problems.push(`session ${s.id} is ${s.status} (pending effects: ${s.pendingEffects})`);
      const box = inEscrow.get(s.id) ?? {};
      problems.push(...fluxProblems(s, box));
      // 3. Nothing left behind in any escrow.
      for (const [code, q] of Object.entries(box)) {
        if (q.live > 0) problems.push(`session ${s.id} (${s.recipeCode}, ${s.status}) still holds ${q.live} ${code} in escrow (its escrow ${s.escrowContainerId}; containers ${q.containers})`);
      }
      const made = craftedBy.get(s.id) ?? { ids: new Set<string>(), quantity: 0 };
      if (s.status === 'completed') {
        // 4. Outputs exactly once, inputs consumed exactly once.
        const outputs = (JSON.parse(s.outputItemIds ?? '[]') as string[]).filter((id) => id !== s.targetItemId);
        if (outputs.some((id) => !made.ids.has(id))) problems.push(`session ${s.id} reports outputs it did not craft`);
        if (made.ids.size < outputs.length) problems.push(`session ${s.id} crafted ${made.ids.size} items, reports ${outputs.length}`);
        // A batch of n makes n times the outputs from n times the inputs.
        const batch = Number(s.batch) || 1;
        const expected = { forge_iron_sword: 1, forge_dagger: 1, inscribe_flames: 0, temper_blade: 1, etch_runes: 0, mend_sword: 0 }[s.recipeCode];
        if (expected !== undefined && made.quantity !== expected * batch) problems.push(`session ${s.id} (${s.recipeCode}, batch ${batch}) made ${made.quantity} outputs`);
        for (const [code, q] of Object.entries(consumes[s.recipeCode] ?? {})) {
          if ((box[code]?.consumed ?? 0) !== q * batch) problems.push(`session ${s.id} consumed ${box[code]?.consumed ?? 0} ${code}, recipe says ${q} x batch ${batch}`);
        }
        if (s.recipeCode === 'forge_iron_sword') swordsPerEntity[s.entityId] = (swordsPerEntity[s.entityId] ?? 0) + 1;
        // The extra slot: at most an ember per tempered blade. An optional slot takes only the
        // instances named for it, up to its quantity (allocate-materials.ts): a batch of two
        // named a stack of one ember uses that one.
        const embers = box.ember?.consumed ?? 0;
        if (s.recipeCode === 'temper_blade' && embers > Number(s.batch || 1)) problems.push(`session ${s.id} consumed ${embers} ember for a batch of ${s.batch}`);
        // A repair leaves its target intact.
        if (s.recipeCode === 'mend_sword' && targets.get(s.targetItemId ?? '')?.condition !== 'intact') problems.push(`repair ${s.id} left its target ${s.targetItemId} ${targets.get(s.targetItemId ?? '')?.condition}`);
      } else {
        if (made.ids.size > 0) problems.push(`session ${s.id} is ${s.status} but crafted ${made.ids.size} items`);
        // A ruleset session that did not complete may have lost part of its inputs to a failed attempt.
        const batch = Number(s.batch) || 1;
        const mayLose: Record<string, number> =
          s.recipeCode === 'temper_blade' ? { iron_ingot: TEMPER_INPUT.iron_ingot * batch, ember: batch, flux: Infinity } : s.recipeCode === 'etch_runes' ? { fire_reagent: 1 } : {};
        for (const [code, q] of Object.entries(box)) {
          if (q.consumed > (mayLose[code] ?? 0)) problems.push(`session ${s.id} is ${s.status} but consumed ${q.consumed} ${code}`);
        }
      }
    }
    // 5. A target breaks only by an etch that failed its roll: every such etch broke its sword
    // (destroyed, reason Destroyed), and no other sword was destroyed (an etch that failed otherwise, e.g. a start a
    // dependency refused, returned it whole).
    const failedEtches = new Set(
      sessions.filter((s) => s.recipeCode === 'etch_runes' && s.status === 'failed' && s.failureReason?.includes('the target item broke')).map((s) => s.targetItemId),
    );
    for (const [id, t] of targets) {
      if (t.code !== 'iron_sword') continue;
      if (t.destroyReason === 'Destroyed' && !failedEtches.has(id)) problems.push(`sword ${id} was destroyed but no etch of it failed`);
      if (failedEtches.has(id) && t.destroyReason !== 'Destroyed') problems.push(`a failed etch left sword ${id} ${t.destroyReason ?? 'whole'}`);
    }
    // 6. Currency per wallet: credited - captured = balance, captured = cost x swords made, no hold left.
    const wallets = await this.db.query<{ ownerId: string; balance: number; captured: number; held: number }[]>(
      `SELECT w.ownerId, b.amount AS balance,
        (SELECT COALESCE(SUM(h.capturedAmount), 0) FROM stub_currency_hold h WHERE h.walletId = w.id AND h.status = 'Captured') AS captured,
        (SELECT COUNT(*) FROM stub_currency_hold h WHERE h.walletId = w.id AND h.status = 'Held') AS held
      FROM stub_wallet w JOIN stub_wallet_balance b ON b.walletId = w.id AND b.currencyCode = 'gold'`,
    );
    const byOwner = new Map(wallets.map((w) => [w.ownerId, w]));
    for (const [entityId, credited] of Object.entries(eco.credited)) {
      const w = byOwner.get(entityId);
      const swords = swordsPerEntity[entityId] ?? 0;
      if (!w) problems.push(`wallet of ${entityId} is missing`);
      else {
        if (r4(w.balance) !== r4(credited - SWORD_COST * swords)) problems.push(`wallet of ${entityId}: balance ${r4(w.balance)}, expected ${credited} - ${SWORD_COST} x ${swords}`);
        if (r4(w.captured) !== r4(SWORD_COST * swords)) problems.push(`wallet of ${entityId}: captured ${r4(w.captured)} for ${swords} swords`);
        if (Number(w.held) !== 0) problems.push(`wallet of ${entityId} has ${w.held} holds still held`);
      }
    }
    problems.push(...(await this.auditContracts(eco.gs, sessions)));
    problems.push(...(await this.auditEvents(eco.gs, sessions)));
    return problems;
  }

  /**
   * 7. Contracts end with their sessions: a completed session's contract is Fulfilled, a
   * cancelled or failed one's is Terminated (or was never made Active), and no contract of
   * the game service is left Active without a session that rests on it.
   */
  async auditContracts(gs: string, sessions: { id: string; status: string; contractId: string | null }[]): Promise<string[]> {
    const problems: string[] = [];
    const rows = await this.db.query<{ id: string; status: string }[]>('SELECT id, status FROM stub_contract WHERE gameServiceId = ?', [gs]);
    const status = new Map(rows.map((r) => [r.id, r.status]));
    const backed = new Set<string>();
    for (const s of sessions) {
      if (!s.contractId) continue;
      backed.add(s.contractId);
      const c = status.get(s.contractId);
      if (s.status === 'completed' && c !== 'Fulfilled') problems.push(`session ${s.id} completed but its contract is ${c ?? 'missing'}`);
      if ((s.status === 'cancelled' || s.status === 'failed') && c === 'Active') problems.push(`session ${s.id} is ${s.status} but its contract is still Active`);
    }
    for (const r of rows) if (r.status === 'Active' && !backed.has(r.id)) problems.push(`contract ${r.id} is Active with no session on it`);
    return problems;
  }

  /** Every instance of the game service by id: its template, how it ended, its condition. */
  private async targets(gs: string) {
    const rows = await this.db.query<{ id: string; code: string; destroyReason: string | null; instanceMetadata: string | null }[]>(
      `SELECT i.id, t.code, i.destroyReason, i.instanceMetadata FROM stub_item_instance i JOIN stub_item_template t ON t.id = i.templateId WHERE i.gameServiceId = ?`,
      [gs],
    );
    return new Map(rows.map((r) => [r.id, { code: r.code, destroyReason: r.destroyReason, condition: (JSON.parse(r.instanceMetadata || '{}') as { condition?: string }).condition ?? null }]));
  }

  /** 7. Every outbox row reached NATS once, and each session's lifecycle events are there once. */
  async auditEvents(gs: string, sessions: { id: string; status: string; recipeCode?: string }[]): Promise<string[]> {
    const problems: string[] = [];
    const outbox = await this.db.query<{ eventId: string; subject: string }[]>('SELECT eventId, subject FROM OutboxEvent');
    const seen = new Map<string, number>();
    const perSession = new Map<string, Record<string, number>>();
    const endings = new Map<string, string[]>();
    const nc = await connect({ servers: this.natsUrl });
    try {
      await jetstreamManager(nc);
      {
        const consumer = await jetstream(nc).consumers.get(EVENT_STREAM, { deliver_policy: DeliverPolicy.All });
        let pending = (await consumer.info(false)).num_pending;
        while (pending > 0) {
          const batch = await consumer.fetch({ max_messages: Math.min(pending, 1000), expires: 3000 });
          for await (const m of batch) {
            pending = m.info.pending;
            const p = m.json<Record<string, any>>();
            if (typeof p.eventId === 'string') seen.set(p.eventId, (seen.get(p.eventId) ?? 0) + 1);
            if (p.gameServiceId === gs && typeof p.sessionId === 'string') {
              const kind = m.subject.split('.').slice(-1)[0]!;
              const counts = perSession.get(p.sessionId) ?? {};
              counts[kind] = (counts[kind] ?? 0) + 1;
              perSession.set(p.sessionId, counts);
              if (['completed', 'cancelled', 'failed'].includes(kind)) endings.set(p.sessionId, [...(endings.get(p.sessionId) ?? []), `${p.eventId} at ${p.timestamp ?? p.occurredAt ?? '?'}: ${p.reason ?? ''}`]);
            }
            if (pending === 0) break;
          }
        }
      }
    } finally {
      await nc.close();
    }
    const missing = outbox.filter((o) => !seen.has(o.eventId));
    if (missing.length > 0) problems.push(`${missing.length} of ${outbox.length} outbox events never reached NATS (first: ${missing[0]!.subject})`);
    const twice = [...seen.entries()].filter(([, n]) => n > 1);
    if (twice.length > 0) problems.push(`${twice.length} events reached NATS more than once`);
    for (const s of sessions) {
      const counts = perSession.get(s.id) ?? {};
      const end = s.status; // completed | cancelled | failed
      if ((counts[end] ?? 0) !== 1) problems.push(`session ${s.id} (${s.recipeCode ?? '?'}, ${end}) has ${counts[end] ?? 0} "${end}" events: ${(endings.get(s.id) ?? []).join(' | ')}`);
      if ((counts.started ?? 0) > 1) problems.push(`session ${s.id} has ${counts.started} "started" events`);
      if (end === 'completed' && counts.started !== 1) problems.push(`completed session ${s.id} has ${counts.started ?? 0} "started" events`);
    }
    return problems;
  }

  async close() {
    await this.db.end();
  }
}
