import { ClientError } from '../../clients/errors.js';
import type { ContractClient } from '../../clients/contract-client.js';
import type { CurrencyClient } from '../../clients/currency-client.js';
import type { Clock, IdGenerator, OutboxEventInput, Tx } from '../ports.js';
import type { RulesEffects } from './rules-effects.js';
import type { Transition } from './session-completion.js';
import type { SessionEffects } from './session-effects.js';
import { sessionEvents } from './session-events.js';
import type { SessionRecord } from './session-model.js';

export interface CancellationDeps {
  effects: SessionEffects;
  rules: RulesEffects;
  transition: Transition;
  currency: CurrencyClient;
  contract: ContractClient;
  clock: Clock;
  ids: IdGenerator;
  releaseStation: (tx: Tx, s: SessionRecord) => Promise<OutboxEventInput[]>;
}

/**
 * A session's end without outputs, from `cancelling` to `cancelled` (asked for) or `failed`
 * (a failure reason: timeout, a failed craft, a refusal): a pending loss destroyed, every
 * other escrowed item returned, holds released, the contract terminated (all keyed), then
 * one transition with its event and the station's release.
 */
export class SessionCancellation {
  constructor(private readonly d: CancellationDeps) {}

  /** Give back every unconsumed escrowed item, release holds, end the contract, then commit. */
  async finish(session: SessionRecord): Promise<boolean> {
    let s = session;
    if (s.rules?.pendingLoss != null) {
      // A failed attempt's loss is destroyed before the rest goes back.
      s = { ...s, reservedMaterials: await this.d.rules.applyLoss(s), rules: { ...s.rules, pendingLoss: null } };
    }
    // A target the failed attempt broke is destroyed, not returned.
    if (s.targetItemId && s.rules?.outcomes.at(-1)?.breaksTarget) await this.d.effects.destroyTarget(s);
    const escrow = await this.d.effects.ensureEscrow(s);
    const landed = await this.d.effects.emptyEscrow(s, escrow);
    for (const h of s.currencyHolds) {
      const holdId = h.holdId ?? (await this.d.effects.holdCreatedByStart(s, h));
      if (holdId) await this.d.currency.releaseHold({ holdId, gameServiceId: s.gameServiceId }, this.d.effects.key(s, 'release', holdId));
    }
    // A contract the contract service refused to create (a permanent refusal) has nothing to end.
    const contractId = await this.d.effects.ensureContract(s).catch((err) => {
      if (err instanceof ClientError && err.kind === 'invalid') return null;
      throw err;
    });
    if (contractId) {
      await this.d.contract.terminate({ contractId, gameServiceId: s.gameServiceId, reason: s.failureReason ?? 'cancelled' }, this.d.effects.key(s, 'terminate'));
    }

    const reservedMaterials = s.reservedMaterials.map((m) =>
      !m.consumed && m.instanceId && landed.has(m.instanceId) ? { ...m, returnedTo: landed.get(m.instanceId)! } : m,
    );
    const returned = reservedMaterials
      .filter((m) => !m.consumed && m.instanceId)
      .map((m) => ({ instanceId: m.instanceId!, itemTemplateCode: m.itemTemplateCode, quantity: m.quantity }));
    const now = this.d.clock.now();
    const endStatus = s.failureReason ? 'failed' : 'cancelled';
    return this.d.transition(
      s,
      { status: endStatus, completedAt: now, pendingEffects: false, escrowContainerId: escrow, contractId, reservedMaterials, rules: s.rules ?? null },
      [],
      async (tx, next) => [
        endStatus === 'failed' ? sessionEvents.failed(next, this.d.ids.uuid(), now) : sessionEvents.cancelled(next, returned, this.d.ids.uuid(), now),
        ...(await this.d.releaseStation(tx, next)),
      ],
    );
  }
}
