import { z } from 'zod';
import type { StubServices } from '../../clients/stubs/index.js';
import { call, done, found, id, int, keyed, num, object, text, type Handlers } from '../wire-route.js';

const originType = z.enum(['Craft', 'Loot', 'Quest', 'Admin', 'Grant']);
const destroyReason = z.enum(['Consumed', 'Destroyed', 'Expired', 'Admin']);

export function itemRoutes(s: StubServices): Handlers<'item'> {
  const item = s.item;
  return {
    getTemplate: call({ gameId: id, templateId: id.optional(), code: text.optional() }, async (q) =>
      found('item', 'item template', await item.getTemplate(q)),
    ),
    createTemplate: call(
      {
        gameServiceId: id,
        code: text,
        category: text,
        itemClass: text.nullish(),
        itemLevel: int.nullish(),
        qualityModel: z.enum(['continuous', 'none']).optional(),
        tags: z.array(text).optional(),
        tier: int.nullish(),
        stats: z.record(z.string(), num).optional(),
      },
      (input) => item.createTemplate(input),
    ),
    listTemplates: call({ gameServiceId: id }, async ({ gameServiceId }) => ({ templates: await item.listTemplates(gameServiceId) })),
    createInstance: keyed(
      {
        templateId: id,
        containerId: id,
        realmId: text,
        quantity: num,
        instanceMetadata: object.optional(),
        originType,
        originId: text.optional(),
      },
      (input, key) => item.createInstance(input, key),
    ),
    getInstance: call({ instanceId: id, gameServiceId: id }, async ({ instanceId, gameServiceId }) =>
      found('item', `item instance ${instanceId}`, await item.getInstance(instanceId, gameServiceId)),
    ),
    batchGetInstances: call({ instanceIds: z.array(id).max(1000), gameServiceId: id }, ({ instanceIds, gameServiceId }) =>
      item.batchGetInstances(instanceIds, gameServiceId),
    ),
    modifyInstance: keyed(
      { instanceId: id, gameServiceId: id, quantityDelta: num.optional(), instanceMetadata: object.optional(), newContainerId: id.optional() },
      (input, key) => item.modifyInstance(input, key),
    ),
    destroyInstance: keyed({ instanceId: id, gameServiceId: id, reason: destroyReason }, (input, key) =>
      done(item.destroyInstance(input, key)),
    ),
  };
}
