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
  createdAt: t.createdAt,
});

const containerInfo = (c: Container): Schemas['ContainerInfo'] => ({
  containerId: c.containerId,
  ownerId: c.ownerId,
  ownerType: c.ownerType,
  containerType: c.containerType,
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

  async createItemTemplate(input: { gameServiceId: string; code: string; category: string; itemClass?: string; itemLevel?: number; qualityModel?: QualityModel }) {
    await this.requireGameService(input.gameServiceId);
    try {
      return templateInfo(await this.d.item.createTemplate(input));
    } catch (err) {
      if (err instanceof ClientError && err.kind === 'conflict') {
        throw new CraftError('ITEM_TEMPLATE_EXISTS', `item template "${input.code}" already exists in this game service`);
      }
      throw err;
    }
  }

  async listItemTemplates(gameServiceId: string) {
    return (await this.d.item.listTemplates(gameServiceId)).map(templateInfo);
  }

  async createInventory(input: { ownerId: string; ownerType: string; gameServiceId?: string }) {
    const container = await this.d.inventory.createContainer(
      { ownerId: input.ownerId, ownerType: input.ownerType, containerType: 'inventory', gameServiceId: input.gameServiceId },
      `dev:${randomUUID()}`,
    );
    return containerInfo(container);
  }

  async getInventory(containerId: string) {
    const container = await this.d.inventory.getContainer(containerId, true);
    if (!container) throw new CraftError('INVENTORY_NOT_FOUND', 'no such inventory', { containerId });
    return { container: containerInfo(container), items: (container.contents ?? []).map(instanceInfo) };
  }

  async grantItem(input: {
    containerId: string;
    gameServiceId: string;
    itemTemplateCode: string;
    quantity: number;
    quality?: number;
    instanceMetadata?: Record<string, unknown>;
  }) {
    const template = await this.d.item.getTemplate({ code: input.itemTemplateCode, gameId: input.gameServiceId });
    if (!template) {
      throw new CraftError('ITEM_TEMPLATE_NOT_FOUND', `no item template "${input.itemTemplateCode}" in this game service`);
    }
    if (!(await this.d.inventory.getContainer(input.containerId, false))) {
      throw new CraftError('INVENTORY_NOT_FOUND', 'no such inventory', { containerId: input.containerId });
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

  async creditWallet(input: { ownerId: string; ownerType: string; currencyCode: string; amount: number }) {
    return walletInfo(await this.d.currency.credit(input, `dev:${randomUUID()}`));
  }

  async getWallet(owner: { ownerId: string; ownerType: string }) {
    return walletInfo(await this.d.currency.getOrCreateWallet(owner));
  }

  async terminateContract(contractId: string, reason?: string) {
    const contract = await this.d.contract.getInstance(contractId);
    if (!contract) throw new CraftError('CONTRACT_NOT_FOUND', 'no such contract', { contractId });
    if (contract.status === 'Active') {
      await this.d.contract.terminate({ contractId, reason: reason ?? 'terminated by developer' }, `dev:terminate:${contractId}`);
    }
    const after = await this.d.contract.getInstance(contractId);
    return { contractId, status: after!.status };
  }

  async createAffixDefinition(input: {
    gameServiceId: string;
    code: string;
    slotType: string;
    tier: number;
    weight: number;
    valueMin: number;
    valueMax: number;
    tags?: string[];
    validItemClasses?: string[] | null;
    minItemLevel?: number;
  }) {
    const affix = this.affix();
    await this.requireGameService(input.gameServiceId);
    return affixDefinitionInfo(await affix.createDefinition(input).catch(affixInputError));
  }

  async setAffixItemState(input: {
    itemInstanceId: string;
    isIdentified?: boolean;
    isCorrupted?: boolean;
    isMirrored?: boolean;
    isFractured?: boolean;
    maxPrefixes?: number;
    maxSuffixes?: number;
  }) {
    const affix = this.affix();
    return affixItemInfo(await affix.setItemState(input, `dev:${randomUUID()}`).catch(affixInputError));
  }

  async getAffixItem(itemInstanceId: string) {
    return affixItemInfo(await this.affix().getItem(itemInstanceId));
  }

  private affix(): AffixClient {
    if (!this.d.affix) throw new CraftError('AFFIX_SERVICE_UNAVAILABLE', 'no affix service is configured (CRAFT_AFFIX_SERVICE=none)');
    return this.d.affix;
  }

  private async requireGameService(gameServiceId: string) {
    const gs = await this.d.gameServices.get({ serviceId: gameServiceId });
    if (!gs || !gs.isActive) throw new CraftError('GAME_SERVICE_NOT_FOUND', 'unknown or inactive game service', { gameServiceId });
  }
}
