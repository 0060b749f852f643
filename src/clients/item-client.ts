/** item: templates and instances (`/item/template/get`, `/item/instance/*`). */
export interface ItemTemplate {
  templateId: string;
  code: string;
  gameServiceId: string;
  category: string;
  itemClass?: string | null;
  itemLevel?: number | null;
  /** How quality is carried: `continuous` (0..1 in instanceMetadata.quality) or `none`. */
  qualityModel: string;
}

export interface ItemInstance {
  instanceId: string;
  templateId: string;
  containerId: string;
  realmId: string;
  quantity: number;
  instanceMetadata: Record<string, unknown>;
  originType: string;
  originId?: string | null;
}

export type OriginType = 'Craft' | 'Loot' | 'Quest' | 'Admin' | 'Grant';
export type DestroyReason = 'Consumed' | 'Destroyed' | 'Expired' | 'Admin';

export interface ItemClient {
  getTemplate(query: { templateId?: string; code?: string; gameId?: string }): Promise<ItemTemplate | null>;
  createInstance(
    input: {
      templateId: string;
      containerId: string;
      realmId: string;
      quantity: number;
      instanceMetadata?: Record<string, unknown>;
      originType: OriginType;
      originId?: string;
    },
    idempotencyKey: string,
  ): Promise<ItemInstance>;
  getInstance(instanceId: string): Promise<ItemInstance | null>;
  batchGetInstances(instanceIds: string[]): Promise<{ items: ItemInstance[]; notFound: string[] }>;
  modifyInstance(
    input: {
      instanceId: string;
      quantityDelta?: number;
      instanceMetadata?: Record<string, unknown>;
      newContainerId?: string;
    },
    idempotencyKey: string,
  ): Promise<ItemInstance>;
  destroyInstance(input: { instanceId: string; reason: DestroyReason }, idempotencyKey: string): Promise<void>;
}
