import type { StubServices } from '../../clients/stubs/index.js';
import { call, done, int, isoTime, num, object, text, type Handlers } from '../wire-route.js';

export function analyticsRoutes(s: StubServices): Handlers<'analytics'> {
  const analytics = s.analytics;
  return {
    ingest: call(
      {
        serviceType: text,
        serviceId: text,
        eventType: text,
        entityId: text,
        entityType: text,
        timestamp: isoTime,
        value: num.optional(),
        metadata: object.optional(),
      },
      (event) => done(analytics.ingest(event)),
    ),
    list: call({ serviceId: text.optional(), eventType: text.optional(), limit: int.optional() }, async (q) => ({
      events: await analytics.list(q),
    })),
  };
}
