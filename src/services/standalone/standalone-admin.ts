import { randomUUID } from 'node:crypto';
import type { AffixClient, AffixDefinition, ItemAffixState } from '../../clients/affix-client.js';
import { ClientError } from '../../clients/errors.js';
import type { ContractClient } from '../../clients/contract-client.js';
import type { CurrencyClient, Wallet } from '../../clients/currency-client.js';
import type { GameServiceClient } from '../../clients/game-service-client.js';
import type { InventoryClient, Container } from '../../clients/inventory-client.js';
import type { ItemClient, ItemInstance, ItemTemplate, QualityModel } from '../../clients/item-client.js';
import { CraftError } from '../../domain/errors.js';
import type { components } from '../../generated/craft-api.js';
import type { Scope } from '../scope.js';
import { requireActiveGameService } from '../game-service-access.js';

type Schemas = components['schemas'];

export interface StandaloneDeps {
  gameServices: GameServiceClient;
  item: ItemClient;
  inventory: InventoryClient;
  currency: CurrencyClient;
  contract: ContractClient;
  /** The affix service (the stub in standalone mode); null / absent = none configured. */
  affix?: AffixClient | null;
}

const templateInfo = (t: ItemTemplate): Schemas['ItemTemplateInfo'] => ({
  templateId: t.templateId,
  gameServiceId: t.gameServiceId,
  code: t.code,
  category: t.category,
  itemClass: t.itemClass ?? null,
  itemLevel: t.itemLevel ?? null,
  qualityModel: t.qualityModel,
  tags: t.tags ?? [],
  tier: t.tier ?? null,
  stats: t.stats ?? {},
  createdAt: t.createdAt,
});

const containerInfo = (c: Container): Schemas['ContainerInfo'] => ({
  containerId: c.containerId,
  ownerId: c.ownerId,
  ownerType: c.ownerType,
  containerType: c.containerType,
  gameServiceId: c.gameServiceId,
  createdAt: c.createdAt,
});

const instanceInfo = (i: ItemInstance): Schemas['ItemInstanceInfo'] => ({
  instanceId: i.instanceId,
  templateId: i.templateId,
  itemTemplateCode: i.templateCode,
  containerId: i.containerId,
  quantity: i.quantity,
  quality: i.quality,
  instanceMetadata: i.instanceMetadata,
  originType: i.originType,
  originId: i.originId ?? null,
  createdAt: i.createdAt,
});

const walletInfo = (w: Wallet): Schemas['WalletInfo'] => ({
  walletId: w.walletId,
  ownerId: w.ownerId,
  ownerType: w.ownerType,
  gameServiceId: w.gameServiceId,
  balances: w.balances.map((b) => ({ currencyCode: b.currencyCode, amount: b.amount, held: b.held, available: b.available })),
});

const affixDefinitionInfo = (d: AffixDefinition): Schemas['AffixDefinitionInfo'] => ({
  definitionId: d.definitionId,
  gameServiceId: d.gameServiceId,
  code: d.code,
  tags: d.tags,
  slotType: d.slotType,
  tier: d.tier,
  weight: d.weight,
  valueMin: d.valueMin,
  valueMax: d.valueMax,
  validItemClasses: d.validItemClasses,
  minItemLevel: d.minItemLevel,
  createdAt: d.createdAt,
});

const affixItemInfo = (i: ItemAffixState): Schemas['AffixItemInfo'] => ({
  itemInstanceId: i.itemInstanceId,
  isIdentified: i.isIdentified,
  isCorrupted: i.isCorrupted,
  isMirrored: i.isMirrored,
  isFractured: i.isFractured,
  maxPrefixes: i.maxPrefixes,
  maxSuffixes: i.maxSuffixes,
  freeSlots: i.freeSlots,
  affixes: i.affixes.map((a) => ({
    definitionId: a.definitionId,
    code: a.code,
    tags: a.tags,
    slotType: a.slotType,
    tier: a.tier,
    value: a.value,
    valuePercentile: a.valuePercentile,
    isFractured: a.isFractured,
  })),
});

/** The affix service's `invalid` and `conflict` answers are the developer's input problems here. */
function affixInputError(err: unknown): never {
  if (err instanceof ClientError && (err.kind === 'invalid' || err.kind === 'conflict')) {
    throw new CraftError('VALIDATION_FAILED', err.message, { service: err.service });
  }
  throw err;
}

/**
 * Standalone mode: what a newcomer needs to craft with nothing else running (item
 * templates, an inventory with items, a wallet with currency), backed by the stubs.
 * Each call is a fresh operation (its own idempotency key).
 */
export class StandaloneAdmin {
  constructor(private readonly d: StandaloneDeps) {}

  async createItemTemplate(
    scope: Scope,
    input: {
      gameServiceId: string;
      code: string;
      category: string;
      itemClass?: string;
      itemLevel?: number;
      qualityModel?: QualityModel;
      tags?: string[];
      tier?: number;
      stats?: Record<string, number>;
    },
  ) {
    await requireActiveGameService(this.d.gameServices, scope, input.gameServiceId);
    try {
      return templateInfo(await this.d.item.createTemplate(input));
    } catch (err) {
      if (err instanceof ClientError && err.kind === 'conflict') {
        throw new CraftError('ITEM_TEMPLATE_EXISTS', `item template "${input.code}" already exists in this game service`);
      }
      throw err;
    }
  }

  async listItemTemplates(scope: Scope, gameServiceId: string) {
    if (!scope.allows(gameServiceId)) return [];
    return (await this.d.item.listTemplates(gameServiceId)).map(templateInfo);
  }

  async createInventory(scope: Scope, input: { ownerId: string; ownerType: string; gameServiceId: string }) {
    await requireActiveGameService(this.d.gameServices, scope, input.gameServiceId);
    const container = await this.d.inventory.createContainer(
      { ownerId: input.ownerId, ownerType: input.ownerType, containerType: 'inventory', gameServiceId: input.gameServiceId },
      `dev:${randomUUID()}`,
    );
    return containerInfo(container);
  }

  async getInventory(scope: Scope, input: { containerId: string; gameServiceId: string }) {
    const container = scope.allows(input.gameServiceId) ? await this.d.inventory.getContainer(input.containerId, true, input.gameServiceId) : null;
    if (!container) throw new CraftError('INVENTORY_NOT_FOUND', 'no such inventory', { containerId: input.containerId });
    return { container: containerInfo(container), items: (container.contents ?? []).map(instanceInfo) };
  }

  async grantItem(
    scope: Scope,
    input: {
      containerId: string;
      gameServiceId: string;
      itemTemplateCode: string;
      quantity: number;
      quality?: number;
      instanceMetadata?: Record<string, unknown>;
    },
  ) {
    const template = scope.allows(input.gameServiceId) ? await this.d.item.getTemplate({ code: input.itemTemplateCode, gameId: input.gameServiceId }) : null;
    if (!template) {
      throw new CraftError('ITEM_TEMPLATE_NOT_FOUND', `no item template "${input.itemTemplateCode}" in this game service`);
    }
    if (!(await this.d.inventory.getContainer(input.containerId, false, input.gameServiceId))) {
      throw new CraftError('INVENTORY_NOT_FOUND', 'no such inventory in this game service', { containerId: input.containerId });
    }
    const item = await this.d.item.createInstance(
      {
        templateId: template.templateId,
        containerId: input.containerId,
        realmId: input.gameServiceId,
        quantity: input.quantity,
        instanceMetadata: { ...input.instanceMetadata, ...(input.quality !== undefined && { quality: input.quality }) },
        originType: 'Grant',
      },
      `dev:${randomUUID()}`,
    );
    return instanceInfo(item);
  }

  async creditWallet(scope: Scope, input: { gameServiceId: string; ownerId: string; ownerType: string; currencyCode: string; amount: number }) {
    await requireActiveGameService(this.d.gameServices, scope, input.gameServiceId);
    return walletInfo(await this.d.currency.credit(input, `dev:${randomUUID()}`));
  }

  async getWallet(scope: Scope, owner: { gameServiceId: string; ownerId: string; ownerType: string }) {
    await requireActiveGameService(this.d.gameServices, scope, owner.gameServiceId);
    return walletInfo(await this.d.currency.getOrCreateWallet(owner));
  }

  async terminateContract(scope: Scope, input: { contractId: string; gameServiceId: string; reason?: string }) {
    const { contractId, gameServiceId } = input;
    const contract = scope.allows(gameServiceId) ? await this.d.contract.getInstance(contractId, gameServiceId) : null;
    if (!contract) throw new CraftError('CONTRACT_NOT_FOUND', 'no such contract', { contractId });
    if (contract.status === 'Active') {
      await this.d.contract.terminate({ contractId, gameServiceId, reason: input.reason ?? 'terminated by developer' }, `dev:terminate:${contractId}`);
    }
    const after = await this.d.contract.getInstance(contractId, gameServiceId);
    return { contractId, status: after!.status };
  }

  async createAffixDefinition(scope: Scope, input: Parameters<AffixClient['createDefinition']>[0]) {
    const affix = this.affix();
    await requireActiveGameService(this.d.gameServices, scope, input.gameServiceId);
    return affixDefinitionInfo(await affix.createDefinition(input).catch(affixInputError));
  }

  async setAffixItemState(scope: Scope, input: Parameters<AffixClient['setItemState']>[0] & { gameServiceId: string }) {
    const affix = this.affix();
    const { gameServiceId, ...state } = input;
    await this.requireItem(scope, input.itemInstanceId, gameServiceId);
    return affixItemInfo(await affix.setItemState(state, `dev:${randomUUID()}`).catch(affixInputError));
  }

  async getAffixItem(scope: Scope, input: { itemInstanceId: string; gameServiceId: string }) {
    const affix = this.affix();
    await this.requireItem(scope, input.itemInstanceId, input.gameServiceId);
    return affixItemInfo(await affix.getItem(input.itemInstanceId));
  }

  private affix(): AffixClient {
    if (!this.d.affix) throw new CraftError('AFFIX_SERVICE_UNAVAILABLE', 'no affix service is configured (CRAFT_AFFIX_SERVICE=none)');
    return this.d.affix;
  }

  /** Affix state belongs to an item: the item must be of the game service (and in scope). */
  private async requireItem(scope: Scope, itemInstanceId: string, gameServiceId: string) {
    const item = scope.allows(gameServiceId) ? await this.d.item.getInstance(itemInstanceId, gameServiceId) : null;
    if (!item) throw new CraftError('ITEM_NOT_FOUND', 'no such item in this game service', { itemInstanceId });
  }

}
