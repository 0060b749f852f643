import type { StubServices } from '../../clients/stubs/index.js';
import { call, done, id, text, type Handlers } from '../wire-route.js';

export function locationRoutes(s: StubServices): Handlers<'location'> {
  const location = s.location;
  const entity = { entityType: text, entityId: text };
  return {
    exists: call({ locationId: id }, async ({ locationId }) => ({ exists: await location.exists(locationId) })),
    getEntityLocation: call(entity, (q) => location.getEntityLocation(q)),
    create: call({ locationId: id.optional(), name: text }, (input) => location.create(input)),
    setEntityLocation: call({ ...entity, locationId: id.nullable() }, (input) => done(location.setEntityLocation(input))),
  };
}
