import { z } from 'zod';
import type { StubServices } from '../../clients/stubs/index.js';
import { call, done, found, id, keyed, num, text, type Handlers } from '../wire-route.js';

const owner = { ownerId: text, ownerType: text, gameServiceId: id };

export function inventoryRoutes(s: StubServices): Handlers<'inventory'> {
  const inventory = s.inventory;
  return {
    getContainer: call({ containerId: id, includeContents: z.boolean().default(false), gameServiceId: id }, async (q) =>
      found('inventory', `container ${q.containerId}`, await inventory.getContainer(q.containerId, q.includeContents, q.gameServiceId)),
    ),
    listContainers: call({ ...owner, containerType: text.optional() }, async (q) => ({ containers: await inventory.listContainers(q) })),
    createContainer: keyed({ ...owner, containerType: text }, (input, key) => inventory.createContainer(input, key)),
    add: keyed({ instanceId: id, containerId: id, gameServiceId: id }, (input, key) => done(inventory.add(input, key))),
    remove: keyed({ instanceId: id, gameServiceId: id }, (input, key) => done(inventory.remove(input, key))),
    transfer: keyed(
      {
        instanceId: id,
        sourceContainerId: id,
        targetContainerId: id,
        gameServiceId: id,
        quantity: num.optional(),
        mergeStacks: z.boolean().optional(),
      },
      (input, key) => inventory.transfer(input, key),
    ),
    has: call({ ...owner, requirements: z.array(z.looseObject({ templateId: id, quantity: num })).max(1000) }, (input) => inventory.has(input)),
    count: call({ containerId: id, templateId: id, gameServiceId: id }, async (q) => ({ count: await inventory.count(q) })),
  };
}
