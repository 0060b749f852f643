/** item: templates and instances (`/item/template/get`, `/item/instance/*`). */
export type QualityModel = 'continuous' | 'none';

export interface ItemTemplate {
  templateId: string;
  code: string;
  gameServiceId: string;
  category: string;
  itemClass?: string | null;
  itemLevel?: number | null;
  /** How quality is carried: `continuous` (0..1 in instanceMetadata.quality) or `none`. */
  qualityModel: QualityModel;
  /** What kind of material it is (`metal`, `fire`, `wood`...): recipe inputs may take any item carrying tags. */
  tags?: string[];
  /** Material tier (T1, T2...): inputs may bound it, rulesets read it. Null = none. */
  tier?: number | null;
  /** Base stats every instance has unless its metadata says otherwise (`stats` in instanceMetadata). */
  stats?: Record<string, number>;
  /** ISO 8601. */
  createdAt: string;
}

export interface ItemInstance {
  instanceId: string;
  templateId: string;
  /** The template's code (saves a template lookup). */
  templateCode: string;
  gameServiceId: string;
  containerId: string;
  realmId: string;
  quantity: number;
  /** `instanceMetadata.quality` when it is a number, else null. */
  quality: number | null;
  instanceMetadata: Record<string, unknown>;
  originType: OriginType;
  originId?: string | null;
  /** ISO 8601. */
  createdAt: string;
}

export type OriginType = 'Craft' | 'Loot' | 'Quest' | 'Admin' | 'Grant';
export type DestroyReason = 'Consumed' | 'Destroyed' | 'Expired' | 'Admin';

export interface ItemClient {
  /**
   * By id or by code, within a game service (`gameId`): a template of another game service is
   * unknown (null), like one that does not exist.
   */
  getTemplate(query: { gameId: string; templateId?: string; code?: string }): Promise<ItemTemplate | null>;
  /** Admin (standalone dev endpoints): `conflict` when the code is taken in the game service. */
  createTemplate(input: {
    gameServiceId: string;
    code: string;
    category: string;
    itemClass?: string | null;
    itemLevel?: number | null;
    /** Default `continuous`. */
    qualityModel?: QualityModel;
  }): Promise<ItemTemplate>;
  /** Sorted by code. */
  listTemplates(gameServiceId: string): Promise<ItemTemplate[]>;
  /**
   * `not_found` for an unknown template, or a container that is unknown or of another game
   * service than the template; `invalid` for quantity <= 0.
   */
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
  /** Null when unknown, destroyed or of another game service. */
  getInstance(instanceId: string, gameServiceId: string): Promise<ItemInstance | null>;
  /** Destroyed instances and those of another game service are reported in `notFound`. */
  batchGetInstances(instanceIds: string[], gameServiceId: string): Promise<{ items: ItemInstance[]; notFound: string[] }>;
  /**
   * `instanceMetadata` is merged into the stored object (shallow). The resulting quantity
   * must stay > 0 (else `conflict`; destroy the instance instead). `not_found` when destroyed
   * or of another game service.
   */
  modifyInstance(
    input: {
      instanceId: string;
      gameServiceId: string;
      quantityDelta?: number;
      instanceMetadata?: Record<string, unknown>;
      newContainerId?: string;
    },
    idempotencyKey: string,
  ): Promise<ItemInstance>;
  /**
   * Soft delete (the row keeps `destroyedAt` and the reason, so audits can count what was
   * consumed). Destroying an already destroyed instance with a new key is `not_found`, as is
   * an instance of another game service.
   */
  destroyInstance(input: { instanceId: string; gameServiceId: string; reason: DestroyReason }, idempotencyKey: string): Promise<void>;
}
