import type { Container, InventoryClient } from '../inventory-client.js';
import type { HttpTransport } from './transport.js';
import { WIRE } from './wire.js';

const P = WIRE.inventory;
const read = { retryable: true };
const keyed = { retryable: true };

/** The inventory service over HTTP. */
export class InventoryHttpClient implements InventoryClient {
  constructor(private readonly t: HttpTransport) {}

  getContainer(containerId: string, includeContents: boolean, gameServiceId: string) {
    return this.t.call<Container | null>(P.getContainer, { containerId, includeContents, gameServiceId }, { retryable: true, nullOn404: true });
  }

  async listContainers(query: { ownerId: string; ownerType: string; gameServiceId: string; containerType?: string }) {
    return (await this.t.call<{ containers: Container[] }>(P.listContainers, query, read)).containers;
  }

  createContainer(input: { ownerId: string; ownerType: string; containerType: string; gameServiceId: string }, idempotencyKey: string) {
    return this.t.call<Container>(P.createContainer, { ...input, idempotencyKey }, keyed);
  }

  async add(input: { instanceId: string; containerId: string; gameServiceId: string }, idempotencyKey: string) {
    await this.t.call(P.add, { ...input, idempotencyKey }, keyed);
  }

  async remove(input: { instanceId: string; gameServiceId: string }, idempotencyKey: string) {
    await this.t.call(P.remove, { ...input, idempotencyKey }, keyed);
  }

  transfer(
    input: { instanceId: string; sourceContainerId: string; targetContainerId: string; gameServiceId: string; quantity?: number; mergeStacks?: boolean },
    idempotencyKey: string,
  ) {
    return this.t.call<{ instanceId: string }>(P.transfer, { ...input, idempotencyKey }, keyed);
  }

  has(input: { ownerId: string; ownerType: string; gameServiceId: string; requirements: { templateId: string; quantity: number }[] }) {
    return this.t.call<{ hasAll: boolean; missing: { templateId: string; required: number; available: number }[] }>(P.has, input, read);
  }

  async count(input: { containerId: string; templateId: string; gameServiceId: string }) {
    return (await this.t.call<{ count: number }>(P.count, input, read)).count;
  }
}
