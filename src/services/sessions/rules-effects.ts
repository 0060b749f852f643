import { ClientError } from '../../clients/errors.js';
import type { InventoryClient } from '../../clients/inventory-client.js';
import type { ItemClient } from '../../clients/item-client.js';
import type { ReservedMaterial, SessionRecord } from './session-model.js';
import { scaledQuantity } from '../../domain/session/quantity.js';
import { lossPlan, materialsAfterLoss } from './rules-transitions.js';

export interface RulesEffectsDeps {
  item: ItemClient;
  inventory: InventoryClient;
}

export interface RulesOutput {
  itemTemplateCode: string;
  quantity: number;
  quality: number | null;
  metadata: Record<string, unknown>;
}

/**
 * The external effects only ruleset sessions have, each keyed from the session like every
 * other effect (`craft:<session>:...`), so a crashed or concurrent driver repeats nothing:
 * a failed attempt's loss (split off into the session's loss container, then destroyed),
 * and the return of items an interrupted action moved into the escrow without recording them.
 */
export class RulesEffects {
  constructor(private readonly d: RulesEffectsDeps) {}

  private key(s: SessionRecord, ...parts: (string | number)[]) {
    return `craft:${s.id}:${parts.join(':')}`;
  }

  /** Destroys the pending attempt's loss; returns the materials as they are after it. */
  async applyLoss(s: SessionRecord): Promise<ReservedMaterial[]> {
    const plan = lossPlan(s);
    const attempt = s.rules!.pendingLoss!;
    const applied: { index: number; lost: number; lostInstanceId: string }[] = [];
    let lossContainer: string | null = null;
    for (const { material, index, lost } of plan) {
      let lostInstanceId = material.instanceId!;
      if (lost < material.quantity) {
        lossContainer ??= (
          await this.d.inventory.createContainer(
            { ownerId: s.id, ownerType: 'craft-session', containerType: 'loss', gameServiceId: s.gameServiceId },
            this.key(s, 'loss-container'),
          )
        ).containerId;
        const moved = await this.d.inventory.transfer(
          { instanceId: material.instanceId!, sourceContainerId: s.escrowContainerId!, targetContainerId: lossContainer, gameServiceId: s.gameServiceId, quantity: lost },
          this.key(s, 'loss', attempt, material.instanceId!),
        );
        lostInstanceId = moved.instanceId;
      }
      await this.destroy(s, lostInstanceId);
      applied.push({ index, lost, lostInstanceId });
    }
    return materialsAfterLoss(s, applied);
  }

  /** Keyed like every consumption (`consume:<instance>`), so the driver's other paths and this one never destroy twice. */
  private async destroy(s: SessionRecord, instanceId: string) {
    try {
      await this.d.item.destroyInstance({ instanceId, gameServiceId: s.gameServiceId, reason: 'Consumed' }, this.key(s, 'consume', instanceId));
    } catch (err) {
      if (!(err instanceof ClientError && err.kind === 'not_found')) throw err;
    }
  }

  /**
   * Items in the escrow the session does not record (an action's consumable moved in by a
   * request that died before it committed) go back to the inventory. Returns how many.
   */
  async returnStrays(s: SessionRecord): Promise<number> {
    if (!s.escrowContainerId) return 0;
    const container = await this.d.inventory.getContainer(s.escrowContainerId, true, s.gameServiceId);
    const known = new Set([...s.reservedMaterials.map((m) => m.instanceId), s.targetItemId]);
    const strays = (container?.contents ?? []).filter((i) => !known.has(i.instanceId));
    for (const i of strays) {
      await this.d.inventory
        .transfer(
          { instanceId: i.instanceId, sourceContainerId: s.escrowContainerId, targetContainerId: s.inventoryId, gameServiceId: s.gameServiceId, mergeStacks: true },
          this.key(s, 'return', i.instanceId),
        )
        .catch((err) => {
          if (!(err instanceof ClientError && err.kind === 'conflict')) throw err;
        });
    }
    return strays.length;
  }
}

/**
 * What a completed ruleset session creates: nothing for a trial or a failure; otherwise the
 * recipe's outputs times the outcome's multiplier, each carrying the outcome's quality, grade,
 * traits, attributes, rarity, what it was made of (provenance) and the ruleset version that made it.
 */
export function rulesOutputs(s: SessionRecord): { finalQuality: number | null; outputs: RulesOutput[] } {
  const rules = s.rules!;
  const last = rules.outcomes[rules.outcomes.length - 1];
  if (!last || rules.trial || !last.success) return { finalQuality: last?.success ? last.quality : null, outputs: [] };
  const metadata: Record<string, unknown> = {
    ...(last.grade && { grade: last.grade }),
    ...(last.traits.length > 0 && { traits: last.traits }),
    ...(last.band && { band: last.band }),
    ...(last.rare.length > 0 && { rare: last.rare }),
    ...(Object.keys(last.attributes).length > 0 && { attributes: last.attributes }),
    ...(last.rarity && { rarity: last.rarity }),
    ...(rules.provenance && rules.provenance.materials.length > 0 && { provenance: rules.provenance.text, materials: rules.provenance.materials }),
    ruleset: `${rules.code}@${rules.version}`,
  };
  const outputs = (s.recipe.outputs ?? [])
    .map((o, i) => ({
      itemTemplateCode: last.variant?.output === i ? last.variant.itemTemplateCode : o.itemTemplateCode,
      quantity: scaledQuantity(o.quantity, last.outputMultiplier),
      quality: last.quality === null ? null : Math.round(last.quality * (o.qualityInfluence ?? 1) * 1e6) / 1e6,
      metadata,
    }))
    .filter((o) => o.quantity > 0);
  return { finalQuality: last.quality, outputs };
}
