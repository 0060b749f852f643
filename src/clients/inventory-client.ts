/**
 * inventory: containers of item instances. There is no reserve endpoint: lib-craft
 * reserves materials by moving them into a session escrow container.
 */
export interface Container {
  containerId: string;
  ownerId: string;
  ownerType: string;
  containerType: string;
  contents?: { instanceId: string; templateId: string; quantity: number }[];
}

export interface InventoryClient {
  getContainer(containerId: string, includeContents: boolean): Promise<Container | null>;
  createContainer(
    input: { ownerId: string; ownerType: string; containerType: string },
    idempotencyKey: string,
  ): Promise<Container>;
  add(input: { instanceId: string; containerId: string }, idempotencyKey: string): Promise<void>;
  remove(input: { instanceId: string }, idempotencyKey: string): Promise<void>;
  /** Moves an instance (or `quantity` of it, splitting the stack) to another container. */
  transfer(
    input: { instanceId: string; targetContainerId: string; quantity?: number },
    idempotencyKey: string,
  ): Promise<{ instanceId: string }>;
  has(input: {
    ownerId: string;
    ownerType: string;
    requirements: { templateId: string; quantity: number }[];
  }): Promise<{ hasAll: boolean; missing: { templateId: string; required: number; available: number }[] }>;
  count(input: { containerId: string; templateId: string }): Promise<number>;
}
