import { randomUUID } from 'node:crypto';
import type { StubAnalyticsEvent } from '../../generated/prisma/client.js';
import type { AnalyticsClient, AnalyticsEvent } from '../analytics-client.js';
import { ClientError } from '../errors.js';
import { parseJson, requireNonEmpty, StubCalls, type StubDeps } from './stub-calls.js';

const SERVICE = 'analytics';
const MAX_LIST = 1000;

/** A stored event, as `list` returns it. */
export interface StoredAnalyticsEvent extends AnalyticsEvent {
  eventId: string;
}

function toEvent(r: StubAnalyticsEvent): StoredAnalyticsEvent {
  return {
    eventId: r.id,
    serviceType: r.serviceType,
    serviceId: r.serviceId,
    eventType: r.eventType,
    entityId: r.entityId,
    entityType: r.entityType,
    timestamp: r.timestamp.toISOString(),
    ...(r.value !== null && { value: r.value }),
    ...(r.metadata !== null && { metadata: parseJson<Record<string, unknown>>(r.metadata, {}) }),
  };
}

/**
 * The analytics service of record in standalone mode (table stub_analytics_event): it keeps
 * every event it is sent, so tests and operators can see what lib-craft reported (`list`).
 */
export class AnalyticsStub implements AnalyticsClient {
  private readonly calls: StubCalls;

  constructor(deps: StubDeps) {
    this.calls = new StubCalls(SERVICE, deps);
  }

  async ingest(event: AnalyticsEvent): Promise<void> {
    await this.calls.call('ingest', async () => {
      const timestamp = new Date(event.timestamp);
      const year = timestamp.getUTCFullYear();
      if (typeof event.timestamp !== 'string' || Number.isNaN(year) || year < 1000 || year > 9999) {
        throw new ClientError(SERVICE, 'invalid', 'timestamp must be an ISO 8601 time (years 1000-9999)');
      }
      if (event.value !== undefined && event.value !== null && (typeof event.value !== 'number' || !Number.isFinite(event.value))) {
        throw new ClientError(SERVICE, 'invalid', 'value must be a finite number');
      }
      const metadata = event.metadata;
      if (metadata !== undefined && metadata !== null && (typeof metadata !== 'object' || Array.isArray(metadata))) {
        throw new ClientError(SERVICE, 'invalid', 'metadata must be an object');
      }
      await this.calls.prisma.stubAnalyticsEvent.create({
        data: {
          id: randomUUID(),
          serviceType: requireNonEmpty(SERVICE, 'serviceType', event.serviceType, 100),
          serviceId: requireNonEmpty(SERVICE, 'serviceId', event.serviceId, 100),
          eventType: requireNonEmpty(SERVICE, 'eventType', event.eventType, 200),
          entityId: requireNonEmpty(SERVICE, 'entityId', event.entityId, 100),
          entityType: requireNonEmpty(SERVICE, 'entityType', event.entityType, 100),
          timestamp,
          value: event.value ?? null,
          metadata: metadata == null ? null : JSON.stringify(metadata),
        },
      });
    });
  }

  /** Stored events, newest first (by timestamp, then arrival); at most `limit` (default 100, up to 1000). */
  list(query: { serviceId?: string; eventType?: string; limit?: number } = {}): Promise<StoredAnalyticsEvent[]> {
    return this.calls.call('list', async () => {
      const limit = query.limit ?? 100;
      if (!Number.isInteger(limit) || limit < 1 || limit > MAX_LIST) {
        throw new ClientError(SERVICE, 'invalid', `limit must be an integer from 1 to ${MAX_LIST}`);
      }
      const rows = await this.calls.prisma.stubAnalyticsEvent.findMany({
        where: {
          ...(query.serviceId !== undefined && { serviceId: query.serviceId }),
          ...(query.eventType !== undefined && { eventType: query.eventType }),
        },
        orderBy: [{ timestamp: 'desc' }, { createdAt: 'desc' }],
        take: limit,
      });
      return rows.map(toEvent);
    });
  }
}
