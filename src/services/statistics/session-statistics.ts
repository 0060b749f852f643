import type { AnalyticsClient, AnalyticsEvent } from '../../clients/analytics-client.js';
import type { Logger } from '../ports.js';

/** The lifecycle events economy monitoring wants: how crafts end, and proficiency gained. */
const FORWARDED = new Set(['craft.session.completed', 'craft.session.failed', 'craft.session.cancelled', 'craft.proficiency.leveled', 'craft.recipe.discovered']);

interface Published {
  eventName?: unknown;
  timestamp?: unknown;
  gameServiceId?: unknown;
  entityId?: unknown;
  entityType?: unknown;
  finalQuality?: unknown;
  [field: string]: unknown;
}

/** The analytics event for a published lifecycle event, or null when it is not one analytics wants. */
export function analyticsEventOf(payload: string): AnalyticsEvent | null {
  let e: Published;
  try {
    e = JSON.parse(payload) as Published;
  } catch {
    return null;
  }
  if (typeof e.eventName !== 'string' || !FORWARDED.has(e.eventName)) return null;
  if (typeof e.gameServiceId !== 'string' || typeof e.entityId !== 'string' || typeof e.entityType !== 'string') return null;
  const { eventName, timestamp, gameServiceId, entityId, entityType, finalQuality, ...rest } = e;
  return {
    serviceType: 'craft',
    serviceId: gameServiceId,
    eventType: eventName,
    entityId,
    entityType,
    timestamp: typeof timestamp === 'string' ? timestamp : new Date().toISOString(),
    ...(typeof finalQuality === 'number' && { value: finalQuality }),
    metadata: rest,
  };
}

/**
 * Sends crafting statistics to the analytics service (a soft dependency): each published
 * lifecycle event it wants, fire and forget. A failure is logged at debug and dropped;
 * crafting never waits for it.
 */
export function forwardStatistics(analytics: AnalyticsClient, log: Logger): (payload: string) => void {
  return (payload) => {
    const event = analyticsEventOf(payload);
    if (!event) return;
    analytics.ingest(event).catch((err: unknown) => log.debug({ err, eventType: event.eventType }, 'analytics: statistic dropped'));
  };
}
