import type { DestroyReason, ItemClient, ItemInstance, ItemTemplate, OriginType, QualityModel } from '../item-client.js';
import type { HttpTransport } from './transport.js';
import { WIRE } from './wire.js';

const P = WIRE.item;
const read = { retryable: true };
const lookup = { retryable: true, nullOn404: true };
const keyed = { retryable: true };

/** The item service over HTTP. */
export class ItemHttpClient implements ItemClient {
  constructor(private readonly t: HttpTransport) {}

  getTemplate(query: { gameId: string; templateId?: string; code?: string }) {
    return this.t.call<ItemTemplate | null>(P.getTemplate, query, lookup);
  }

  createTemplate(input: { gameServiceId: string; code: string; category: string; itemClass?: string | null; itemLevel?: number | null; qualityModel?: QualityModel }) {
    return this.t.call<ItemTemplate>(P.createTemplate, input, { retryable: false });
  }

  async listTemplates(gameServiceId: string) {
    return (await this.t.call<{ templates: ItemTemplate[] }>(P.listTemplates, { gameServiceId }, read)).templates;
  }

  createInstance(
    input: { templateId: string; containerId: string; realmId: string; quantity: number; instanceMetadata?: Record<string, unknown>; originType: OriginType; originId?: string },
    idempotencyKey: string,
  ) {
    return this.t.call<ItemInstance>(P.createInstance, { ...input, idempotencyKey }, keyed);
  }

  getInstance(instanceId: string, gameServiceId: string) {
    return this.t.call<ItemInstance | null>(P.getInstance, { instanceId, gameServiceId }, lookup);
  }

  batchGetInstances(instanceIds: string[], gameServiceId: string) {
    return this.t.call<{ items: ItemInstance[]; notFound: string[] }>(P.batchGetInstances, { instanceIds, gameServiceId }, read);
  }

  modifyInstance(
    input: { instanceId: string; gameServiceId: string; quantityDelta?: number; instanceMetadata?: Record<string, unknown>; newContainerId?: string },
    idempotencyKey: string,
  ) {
    return this.t.call<ItemInstance>(P.modifyInstance, { ...input, idempotencyKey }, keyed);
  }

  async destroyInstance(input: { instanceId: string; gameServiceId: string; reason: DestroyReason }, idempotencyKey: string) {
    await this.t.call(P.destroyInstance, { ...input, idempotencyKey }, keyed);
  }
}
