import type { ItemInstance } from './item-client.js';

/**
 * inventory: containers of item instances. There is no reserve endpoint: lib-craft
 * reserves materials by moving them into a session escrow container.
 */
export interface Container {
  containerId: string;
  ownerId: string;
  ownerType: string;
  /** `inventory`, `craft_escrow`, ... */
  containerType: string;
  gameServiceId: string;
  /** ISO 8601. */
  createdAt: string;
  /** With `includeContents`: the live (not destroyed) instances, oldest first. */
  contents?: ItemInstance[];
}

/**
 * Every call names the game service it acts in: a container or an instance of another game
 * service is unknown (null, `not_found`), exactly like one that does not exist.
 */
export interface InventoryClient {
  /** Null when unknown or of another game service. Contents: the game service's live instances. */
  getContainer(containerId: string, includeContents: boolean, gameServiceId: string): Promise<Container | null>;
  /** An owner's containers of a type (e.g. the entity's `inventory`) in a game service, oldest first, without contents. */
  listContainers(query: { ownerId: string; ownerType: string; gameServiceId: string; containerType?: string }): Promise<Container[]>;
  createContainer(
    input: { ownerId: string; ownerType: string; containerType: string; gameServiceId: string },
    idempotencyKey: string,
  ): Promise<Container>;
  /**
   * Puts an instance into a container (a no-op when it is already there). Unguarded: to move
   * an item safely use `transfer`, which checks where the item is.
   */
  add(input: { instanceId: string; containerId: string; gameServiceId: string }, idempotencyKey: string): Promise<void>;
  /**
   * Takes an instance out of its container. The stub keeps every instance in a container,
   * so it answers `invalid` (use `transfer`, or item `destroyInstance`).
   */
  remove(input: { instanceId: string; gameServiceId: string }, idempotencyKey: string): Promise<void>;
  /**
   * Moves an instance from `sourceContainerId` (it must be there now, else `conflict`: this
   * is what stops two sessions from reserving the same item) to `targetContainerId`.
   * `quantity` omitted or equal to the stack moves the instance (same id returned); smaller
   * splits it atomically (the source keeps the rest; a new instance with the same template
   * and metadata is created in the target and its id returned); larger is `conflict`.
   * With `mergeStacks`, the moved quantity joins a stack already in the target with the same
   * template, metadata (quality included) and origin when there is one, and that stack's id is
   * returned: items returned from an escrow land back on the stack they came from.
   * `not_found` for an unknown or destroyed instance or an unknown target.
   */
  transfer(
    input: {
      instanceId: string;
      sourceContainerId: string;
      targetContainerId: string;
      gameServiceId: string;
      quantity?: number;
      mergeStacks?: boolean;
    },
    idempotencyKey: string,
  ): Promise<{ instanceId: string }>;
  /** Over every container the owner has in the game service. */
  has(input: {
    ownerId: string;
    ownerType: string;
    gameServiceId: string;
    requirements: { templateId: string; quantity: number }[];
  }): Promise<{ hasAll: boolean; missing: { templateId: string; required: number; available: number }[] }>;
  /** Sum of the quantities of a template's live instances in a container. */
  count(input: { containerId: string; templateId: string; gameServiceId: string }): Promise<number>;
}
