import { z } from 'zod';
import type { StubServices } from '../../clients/stubs/index.js';
import { call, id, keyed, num, text, type Handlers } from '../wire-route.js';

export function seedRoutes(s: StubServices): Handlers<'seed'> {
  const seed = s.seed;
  return {
    registerType: call({ gameServiceId: id, code: text, phases: z.array(z.looseObject({ name: text, threshold: num })).max(1000) }, (input) =>
      seed.registerType(input),
    ),
    create: keyed({ ownerId: text, ownerType: text, gameServiceId: id, seedTypeCode: text }, (input, key) => seed.create(input, key)),
    getByOwner: call({ ownerId: text, ownerType: text, seedTypeCode: text.optional(), gameServiceId: id.optional() }, async (q) => ({
      seeds: await seed.getByOwner(q),
    })),
    recordGrowth: keyed({ seedId: id, domain: text, amount: num, source: text }, (input, key) => seed.recordGrowth(input, key)),
    getPhase: call({ seedId: id }, ({ seedId }) => seed.getPhase(seedId)),
  };
}
