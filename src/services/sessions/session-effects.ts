import { ClientError } from '../../clients/errors.js';
import type { ContractClient } from '../../clients/contract-client.js';
import type { CurrencyClient } from '../../clients/currency-client.js';
import type { InventoryClient } from '../../clients/inventory-client.js';
import type { ItemClient } from '../../clients/item-client.js';
import { CraftError } from '../../domain/errors.js';
import type { ReservedMaterial, SessionRecord } from './session-model.js';

export const COMPLETE_SESSION_PATH = '/craft/internal/complete-session';
/** The one contract milestone of a ruleset session. */
export const RULES_MILESTONE = 'craft';

/** A session's contract milestones: its steps, or one for a ruleset session, whose number of turns is not known in advance (ADR 0009). */
export function milestonesOf(s: SessionRecord): { code: string; name: string }[] {
  return s.rules ? [{ code: RULES_MILESTONE, name: 'Craft' }] : s.recipe.steps.map((st) => ({ code: st.code, name: st.name }));
}

export interface SessionEffectsDeps {
  item: ItemClient;
  inventory: InventoryClient;
  currency: CurrencyClient;
  contract: ContractClient;
}

/** A material move of a start failed; `materials` is the plan with the moves done so far recorded. */
export class MaterialMoveFailed extends Error {
  constructor(
    override readonly cause: unknown,
    readonly materials: ReservedMaterial[],
  ) {
    super(cause instanceof Error ? cause.message : String(cause));
    this.name = 'MaterialMoveFailed';
  }
}

/**
 * A session's external effects on other services: the contract, the escrow, holds, material
 * moves and returns, destruction. Every call carries a key derived from the session
 * (`craft:<session>:<effect>`), so any effect can be applied again after a crash or by a
 * concurrent driver without being done twice. No session state is written here: the driver,
 * completion and cancellation record what these calls did.
 */
export class SessionEffects {
  constructor(private readonly d: SessionEffectsDeps) {}

  key(s: SessionRecord, ...parts: (string | number)[]) {
    return `craft:${s.id}:${parts.join(':')}`;
  }

  /**
   * Start effects: contract first (so a failed start always has one to terminate),
   * then escrow, holds, material moves. Throws on the first failure; the caller then
   * moves the session to `cancelling` and drives the refund.
   */
  async reserve(s: SessionRecord): Promise<SessionRecord> {
    const fixed = await this.reserveFixed(s);
    const reserved = await this.moveMaterials(fixed, fixed.escrowContainerId!, s.reservedMaterials, 1);
    return { ...fixed, reservedMaterials: reserved };
  }

  /**
   * The start effects but the material moves: contract, escrow, holds and the target (first,
   * so that of two sessions racing for one target the loser learns it as TARGET_ITEM_INVALID).
   */
  async reserveFixed(s: SessionRecord): Promise<SessionRecord> {
    const contractId = await this.ensureContract(s);
    const escrow = await this.ensureEscrow(s);
    const currencyHolds = [];
    for (const h of s.currencyHolds) {
      const hold = await this.d.currency.createHold(
        { walletId: h.walletId, gameServiceId: s.gameServiceId, currencyCode: h.currencyCode, amount: h.amount, expiresAt: this.holdExpiry(s) },
        this.key(s, 'hold', h.currencyCode),
      );
      currencyHolds.push({ ...h, holdId: hold.holdId });
    }
    if (s.targetItemId) {
      // The target is locked for the session by moving it into the escrow too.
      await this.d.inventory
        .transfer(
          { instanceId: s.targetItemId, sourceContainerId: s.inventoryId, targetContainerId: escrow, gameServiceId: s.gameServiceId },
          this.key(s, 'reserve', 'target'),
        )
        .catch((err) => {
          if (err instanceof ClientError && (err.kind === 'conflict' || err.kind === 'not_found')) {
            throw new CraftError('TARGET_ITEM_INVALID', 'the target item was taken by another session or action while this one started', {
              targetItemId: s.targetItemId,
            });
          }
          throw err;
        });
    }
    return { ...s, escrowContainerId: escrow, contractId, currencyHolds };
  }

  /**
   * Moves a plan's materials into the escrow (keys per plan generation: a re-plan after a lost
   * race moves other instances under new keys). On the first move that fails, the ones already
   * moved stay recorded in the error (MaterialMoveFailed), so the caller can give them back.
   */
  async moveMaterials(s: SessionRecord, escrow: string, materials: ReservedMaterial[], generation: number): Promise<ReservedMaterial[]> {
    const result = [...materials];
    // In one global order (source instance id), so racing starts never each hold part of what the other needs.
    const order = materials.map((m, i) => ({ m, i })).sort((x, y) => (x.m.sourceInstanceId < y.m.sourceInstanceId ? -1 : x.m.sourceInstanceId > y.m.sourceInstanceId ? 1 : x.i - y.i));
    for (const { m, i } of order) {
      try {
        const to = await this.d.inventory.transfer(
          { instanceId: m.sourceInstanceId, sourceContainerId: s.inventoryId, targetContainerId: escrow, gameServiceId: s.gameServiceId, quantity: m.quantity },
          generation === 1 ? this.key(s, 'reserve', i) : this.key(s, 'reserve', `g${generation}`, i),
        );
        result[i] = { ...m, instanceId: to.instanceId };
      } catch (err) {
        throw new MaterialMoveFailed(err, result);
      }
    }
    return result;
  }

  /**
   * Gives back materials a start moved into the escrow before it lost a race for another one
   * (keys `return:g<generation>:<instance>`, so a crash and a rerun return each once); the escrow
   * stays. The key names the generation: a whole stack keeps its id when it moves, so the same
   * instance may come back in a later generation, and its final return must not replay this one.
   */
  async returnMaterials(s: SessionRecord, materials: ReservedMaterial[], generation: number): Promise<void> {
    for (const m of materials) {
      if (!m.instanceId) continue;
      await this.d.inventory
        .transfer(
          { instanceId: m.instanceId, sourceContainerId: s.escrowContainerId!, targetContainerId: s.inventoryId, gameServiceId: s.gameServiceId, mergeStacks: true },
          this.key(s, 'return', `g${generation}`, m.instanceId),
        )
        .catch((err) => this.alreadyReturned(err));
    }
  }

  /** A tool a step needs must still be in the crafter's inventory when the step completes. */
  async checkTools(s: SessionRecord, category: string | null) {
    if (!category) return;
    const tool = s.tools.find((t) => t.category === category);
    const instance = tool ? await this.d.item.getInstance(tool.instanceId, s.gameServiceId) : null;
    if (!instance || instance.containerId !== s.inventoryId) {
      throw new CraftError('TOOL_NOT_AVAILABLE', `the ${category} chosen at start is no longer in the inventory`, {
        category,
        toolItemId: tool?.instanceId ?? null,
      });
    }
  }

  private holdExpiry(s: SessionRecord) {
    // Outlives the session, so a hold is never gone before completion captures it.
    return new Date(s.expiresAt.getTime() + 3600_000).toISOString();
  }

  async ensureEscrow(s: SessionRecord): Promise<string> {
    if (s.escrowContainerId) return s.escrowContainerId;
    const c = await this.d.inventory.createContainer(
      { ownerId: s.id, ownerType: 'craft-session', containerType: 'escrow', gameServiceId: s.gameServiceId },
      this.key(s, 'escrow'),
    );
    return c.containerId;
  }

  async ensureContract(s: SessionRecord): Promise<string> {
    if (s.contractId) return s.contractId;
    const c = await this.d.contract.createInstance(
      {
        gameServiceId: s.gameServiceId,
        parties: [{ entityId: s.entityId, entityType: s.entityType, role: 'crafter' }, ...s.participants],
        milestones: milestonesOf(s),
        onFinalMilestone: { path: COMPLETE_SESSION_PATH, body: { sessionId: s.id } },
      },
      this.key(s, 'contract'),
    );
    return c.contractId;
  }

  /**
   * Completes every milestone of the session's contract (keyed as the advances that mirror
   * them, so those already recorded replay), which fulfils it: a completion whose milestones
   * could not be mirrored when they happened (the contract service was away) still ends
   * with its contract. A contract ended meanwhile (terminated, unknown) is left as it is;
   * the contract service being unavailable throws, and the completion is retried.
   */
  async fulfilContract(s: SessionRecord) {
    if (!s.contractId) return;
    // Usually the advances mirrored them all already: one read says so.
    const contract = await this.d.contract.getInstance(s.contractId, s.gameServiceId);
    if (!contract || contract.status !== 'Active') return;
    const done = new Set(contract.milestones.filter((m) => m.isComplete).map((m) => m.code));
    for (const m of milestonesOf(s).filter((m) => !done.has(m.code))) {
      try {
        await this.d.contract.completeMilestone({ contractId: s.contractId, gameServiceId: s.gameServiceId, milestoneCode: m.code }, this.key(s, 'milestone', m.code));
      } catch (err) {
        if (err instanceof ClientError && err.kind !== 'unavailable') return;
        throw err;
      }
    }
  }

  /** The target item broke (a ruleset's outcome.breaksTarget): destroyed once (`break:<id>`, reason Destroyed). */
  async destroyTarget(s: SessionRecord) {
    try {
      await this.d.item.destroyInstance({ instanceId: s.targetItemId!, gameServiceId: s.gameServiceId, reason: 'Destroyed' }, this.key(s, 'break', s.targetItemId!));
    } catch (err) {
      if (!(err instanceof ClientError && err.kind === 'not_found')) throw err;
    }
  }

  async destroy(s: SessionRecord, instanceId: string) {
    try {
      await this.d.item.destroyInstance({ instanceId, gameServiceId: s.gameServiceId, reason: 'Consumed' }, this.key(s, 'consume', instanceId));
    } catch (err) {
      // Already destroyed under this key earlier is fine; anything else is retried later.
      if (!(err instanceof ClientError && err.kind === 'not_found')) throw err;
    }
  }

  /** A transfer retried after it succeeded finds the item already moved: that is done, not an error. */
  alreadyReturned(err: unknown) {
    if (err instanceof ClientError && err.kind === 'conflict') return;
    throw err;
  }

  /**
   * Unconsumed items go back to the inventory, consumed ones are destroyed (keyed per
   * instance). Materials rejoin the stack they were split from (mergeStacks); the target and
   * anything else found in the escrow go back as they are. Returns escrow instance -> the
   * inventory instance it became, for every material returned now or by an earlier run (a
   * keyed transfer replays its answer).
   */
  async emptyEscrow(s: SessionRecord, escrow: string, keyPart = 'return'): Promise<Map<string, string>> {
    const container = await this.d.inventory.getContainer(escrow, true, s.gameServiceId);
    const consumed = new Set(s.reservedMaterials.filter((m) => m.consumed && m.instanceId).map((m) => m.instanceId));
    const materials = new Set(s.reservedMaterials.filter((m) => !m.consumed && m.instanceId).map((m) => m.instanceId!));
    const present = new Set((container?.contents ?? []).map((i) => i.instanceId));
    const landed = new Map<string, string>();
    for (const id of new Set([...materials, ...present])) {
      if (consumed.has(id)) {
        if (present.has(id)) await this.destroy(s, id);
        continue;
      }
      try {
        const to = await this.d.inventory.transfer(
          { instanceId: id, sourceContainerId: escrow, targetContainerId: s.inventoryId, gameServiceId: s.gameServiceId, mergeStacks: materials.has(id) },
          this.key(s, keyPart, id),
        );
        landed.set(id, to.instanceId);
      } catch (err) {
        // A material no longer in the escrow and never returned under this key was taken by
        // another service (quirk 4: treated as consumed); anything present must move.
        if (present.has(id) || !(err instanceof ClientError && (err.kind === 'conflict' || err.kind === 'not_found'))) throw err;
      }
    }
    return landed;
  }

  /**
   * A start that died may or may not have placed a hold. Asking again with the same key
   * returns it if it exists (and creates it if not, which we release right after): the
   * end state is "no hold" either way.
   */
  async holdCreatedByStart(s: SessionRecord, h: SessionRecord['currencyHolds'][number]) {
    try {
      const hold = await this.d.currency.createHold(
        { walletId: h.walletId, gameServiceId: s.gameServiceId, currencyCode: h.currencyCode, amount: h.amount, expiresAt: this.holdExpiry(s) },
        this.key(s, 'hold', h.currencyCode),
      );
      return hold.holdId;
    } catch (err) {
      if (err instanceof ClientError && err.kind === 'insufficient_funds') return null;
      throw err;
    }
  }
}
