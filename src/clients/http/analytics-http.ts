import type { AnalyticsClient, AnalyticsEvent } from '../analytics-client.js';
import type { HttpTransport } from './transport.js';
import { WIRE } from './wire.js';

/** The analytics service over HTTP: one attempt per event (an ingest carries no key, so it is never repeated). */
export class AnalyticsHttpClient implements AnalyticsClient {
  constructor(private readonly t: HttpTransport) {}

  async ingest(event: AnalyticsEvent) {
    await this.t.call(WIRE.analytics.ingest, event, { retryable: false });
  }
}
