import { CraftError } from '../../domain/errors.js';
import type { AffixClient } from '../../clients/affix-client.js';
import type { CurrencyClient } from '../../clients/currency-client.js';
import type { InventoryClient } from '../../clients/inventory-client.js';
import type { ItemClient } from '../../clients/item-client.js';
import { rngFor } from '../../domain/rng.js';
import { resolveOutcome } from '../../domain/session/outcome.js';
import { q4 } from '../../domain/session/quantity.js';
import { conditionOf, repairedMetadata } from '../../domain/recipe/repair.js';
import { executeModification } from '../modification/modification-executor.js';
import type { Clock, IdGenerator, OutboxEventInput, Tx } from '../ports.js';
import type { RulesEffects } from './rules-effects.js';
import { rulesOutputs } from './rules-effects.js';
import type { SessionEffects } from './session-effects.js';
import { sessionEvents } from './session-events.js';
import type { SessionRecord } from './session-model.js';
import type { SessionRepository } from './session-repository.js';
import type { ProficiencyAccess, StationAccess } from './session-ports.js';

/** A version-checked transition with its events (SessionDriver.transition). */
export type Transition = (
  s: SessionRecord,
  change: Partial<SessionRecord>,
  events: OutboxEventInput[],
  inTx?: (tx: Tx, next: SessionRecord) => Promise<OutboxEventInput[]>,
) => Promise<boolean>;

export interface CompletionDeps {
  effects: SessionEffects;
  rules: RulesEffects;
  transition: Transition;
  repo: SessionRepository;
  item: ItemClient;
  inventory: InventoryClient;
  currency: CurrencyClient;
  affix: AffixClient | null;
  proficiency: ProficiencyAccess;
  stations: StationAccess;
  clock: Clock;
  ids: IdGenerator;
  settings: {
    stationExclusivity: boolean;
    collaborationBonusMultiplier: number;
    apprenticeBonusMultiplier: number;
    defaultQualityWeights: { materialQuality: number; proficiencyLevel: number; toolQuality: number };
  };
}

/**
 * A session's completion, from `completing` to `completed`: the outcome, the target's
 * modification, the escrow consumed, holds captured, outputs created (all keyed), then one
 * transition with the completion event, the experience and the station's release.
 */
export class SessionCompletion {
  constructor(private readonly d: CompletionDeps) {}

  /**
   * Modify the target (modification), consume the escrow, capture the holds, create the
   * outputs, then commit `completed`. Every step is keyed, so a re-run repeats nothing.
   */
  async finish(s: SessionRecord): Promise<boolean> {
    const outcome: { finalQuality: number | null; outputs: { itemTemplateCode: string; quantity: number; quality: number | null; metadata?: Record<string, unknown> }[] } =
      s.rules
        ? rulesOutputs(s)
        : resolveOutcome(
            s,
            { defaultWeights: this.d.settings.defaultQualityWeights, collaborationBonusMultiplier: this.d.settings.collaborationBonusMultiplier },
            (stream) => rngFor(s.rngSeed, stream),
          );
    if (s.recipe.recipeType === 'modification' && !(await this.modifyTarget(s, outcome.finalQuality ?? 0))) return false;
    if (s.recipe.recipeType === 'repair') await this.repairTarget(s);
    for (const m of s.reservedMaterials) if (m.instanceId) await this.d.effects.destroy(s, m.instanceId);
    for (const h of s.currencyHolds) {
      if (h.holdId) {
        await this.d.currency.captureHold({ holdId: h.holdId, gameServiceId: s.gameServiceId, captureAmount: h.amount }, this.d.effects.key(s, 'capture', h.holdId));
      }
    }
    const outputItemIds: string[] = [];
    if (s.targetItemId && s.recipe.recipeType === 'extraction') await this.d.effects.destroy(s, s.targetItemId);
    if (s.targetItemId && (s.recipe.recipeType === 'modification' || s.recipe.recipeType === 'repair')) {
      await this.d.inventory.transfer(
        { instanceId: s.targetItemId, sourceContainerId: s.escrowContainerId!, targetContainerId: s.inventoryId, gameServiceId: s.gameServiceId },
        this.d.effects.key(s, 'return', s.targetItemId),
      ).catch((err) => this.d.effects.alreadyReturned(err));
      outputItemIds.push(s.targetItemId);
    }
    for (const [i, o] of outcome.outputs.entries()) {
      const template = await this.d.item.getTemplate({ code: o.itemTemplateCode, gameId: s.gameServiceId });
      if (!template) throw new Error(`output template ${o.itemTemplateCode} disappeared`);
      const created = await this.d.item.createInstance(
        {
          templateId: template.templateId,
          containerId: s.inventoryId,
          realmId: s.gameServiceId,
          quantity: q4(o.quantity),
          instanceMetadata: {
            ...(o.quality !== null && { quality: o.quality }),
            ...o.metadata,
            craftedBy: s.entityId,
            ...(s.creatorSignature && { creatorSignature: s.creatorSignature }),
            recipeCode: s.recipeCode,
            sessionId: s.id,
          },
          originType: 'Craft',
          originId: s.id,
        },
        this.d.effects.key(s, 'output', i),
      );
      outputItemIds.push(created.instanceId);
    }
    if (s.rules) await this.d.rules.returnStrays(s);
    await this.d.effects.fulfilContract(s);
    const now = this.d.clock.now();
    const completed: Partial<SessionRecord> = {
      status: 'completed',
      finalQuality: outcome.finalQuality,
      accumulatedQuality: outcome.finalQuality ?? s.accumulatedQuality,
      state: s.rules ? s.state : { ...s.state, quality: outcome.finalQuality! },
      outputItemIds,
      completedAt: now,
      pendingEffects: false,
      reservedMaterials: s.reservedMaterials.map((m) => ({ ...m, consumed: true })),
    };
    return this.d.transition(s, completed, [], async (tx, next) => [
      sessionEvents.completed(next, this.d.ids.uuid(), now),
      ...(await this.grantExperience(tx, next)),
      ...(await this.releaseStation(tx, next)),
    ]);
  }

  /**
   * Restores the escrowed target's condition to intact (repair recipes), keyed
   * `craft:<session>:repair:<target>` so a re-run writes it once; its other metadata stays.
   */
  private async repairTarget(s: SessionRecord) {
    const target = await this.d.item.getInstance(s.targetItemId!, s.gameServiceId);
    if (!target) throw new Error(`repair target ${s.targetItemId} disappeared`);
    if (conditionOf(target.instanceMetadata) === 'intact') return;
    await this.d.item.modifyInstance(
      { instanceId: target.instanceId, gameServiceId: s.gameServiceId, instanceMetadata: repairedMetadata(target.instanceMetadata, s.entityId, this.d.clock.now()) },
      this.d.effects.key(s, 'repair', target.instanceId),
    );
  }

  /**
   * Runs the recipe's affix operation on the escrowed target (RNG stream `modification`,
   * keys `craft:<session>:affix:<n>`). When the item no longer qualifies, the session is
   * failed instead and everything escrowed goes back.
   */
  private async modifyTarget(s: SessionRecord, quality: number): Promise<boolean> {
    if (!this.d.affix) throw new CraftError('AFFIX_SERVICE_UNAVAILABLE', 'no affix service is configured');
    const instance = await this.d.item.getInstance(s.targetItemId!, s.gameServiceId);
    const template = instance ? await this.d.item.getTemplate({ templateId: instance.templateId, gameId: s.gameServiceId }) : null;
    const meta = instance?.instanceMetadata ?? {};
    try {
      await executeModification(
        { affix: this.d.affix },
        {
          gameServiceId: s.gameServiceId,
          itemInstanceId: s.targetItemId!,
          itemClass: template?.itemClass ?? template?.category ?? '',
          itemLevel: typeof meta.itemLevel === 'number' ? meta.itemLevel : (template?.itemLevel ?? 0),
          operation: s.recipe.affixOperation!,
          config: s.recipe.affixOperationConfig ?? {},
          quality,
          rng: rngFor(s.rngSeed, 'modification'),
          keyPrefix: this.d.effects.key(s, 'affix'),
        },
      );
      return true;
    } catch (err) {
      if (!(err instanceof CraftError)) throw err;
      await this.d.transition(s, { status: 'cancelling', failureReason: `modification failed: ${err.message}`.slice(0, 500) }, []);
      return false;
    }
  }

  private async grantExperience(tx: Tx, s: SessionRecord): Promise<OutboxEventInput[]> {
    // A trial craft is not a craft: no first-craft bonus, a share of the experience as the ruleset says.
    const trial = s.rules?.trial ? (s.rules.definition.trial?.experienceMultiplier ?? 0) : null;
    const first = trial === null && (await this.d.repo.recordCompletion(tx, s));
    const events: OutboxEventInput[] = [];
    const apprentices = trial === null ? s.participants.filter((p) => p.role === 'apprentice') : [];
    for (const grant of s.recipe.experienceGrants ?? []) {
      // Unscaled: grantInTx applies CRAFT_EXPERIENCE_SCALING_FACTOR to crafting grants itself.
      const amount = trial !== null ? grant.baseExperience * trial : grant.baseExperience + (first ? (grant.firstCraftBonus ?? 0) : 0);
      if (amount <= 0) continue;
      const base = { gameServiceId: s.gameServiceId, domain: grant.domain };
      events.push(
        ...(await this.d.proficiency.grantInTx(tx, {
          ...base,
          entityId: s.entityId,
          entityType: s.entityType,
          amount,
          idempotencyKey: this.d.effects.key(s, 'xp', grant.domain, s.entityId),
        })).events,
      );
      // Apprentices learn by watching: a share of the base experience (no first-craft bonus).
      const share = grant.baseExperience * this.d.settings.apprenticeBonusMultiplier;
      for (const a of share > 0 ? apprentices : []) {
        const idempotencyKey = this.d.effects.key(s, 'xp', grant.domain, a.entityId);
        events.push(...(await this.d.proficiency.grantInTx(tx, { ...base, entityId: a.entityId, entityType: a.entityType, amount: share, idempotencyKey })).events);
      }
    }
    return events;
  }

  async releaseStation(tx: Tx, s: SessionRecord): Promise<OutboxEventInput[]> {
    if (this.d.settings.stationExclusivity && s.stationId) await this.d.stations.release(tx, s.stationId, s.id);
    return [];
  }
}
