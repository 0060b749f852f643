/** analytics (soft dependency): fire-and-forget statistics; failures never affect crafting. */
export interface AnalyticsEvent {
  serviceType: string;
  serviceId: string;
  eventType: string;
  entityId: string;
  entityType: string;
  timestamp: string;
  value?: number;
  metadata?: Record<string, unknown>;
}

export interface AnalyticsClient {
  ingest(event: AnalyticsEvent): Promise<void>;
}
