import type { FastifyInstance } from 'fastify';
import metricsModule from 'fastify-metrics';
import { Registry } from 'prom-client';
import type { PrometheusMetrics } from '../infra/metrics/prometheus-metrics.js';

// A CommonJS module whose plugin is its `default` export: under NodeNext the default import is the whole module.
const fastifyMetrics = metricsModule.default;

/** Seconds; crafting requests call other services, so the tail goes past a second. */
const LATENCY_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/**
 * Request latency per route (`http_request_duration_seconds{method,route,status_code}`,
 * route = the registered pattern, never the raw URL) into the runtime's own registry,
 * and `GET /metrics` serving that registry. Register before the routes it measures.
 */
export async function registerMetrics(app: FastifyInstance, metrics: PrometheusMetrics) {
  await app.register(fastifyMetrics, {
    endpoint: null,
    defaultMetrics: { enabled: false },
    routeMetrics: {
      enabled: { histogram: true, summary: false },
      routeBlacklist: ['/metrics', /^\/docs/],
      overrides: {
        histogram: { registers: [metrics.registry], buckets: LATENCY_BUCKETS },
        // The plugin always creates its summary: keep it out of the served registry.
        summary: { registers: [new Registry()] },
      },
    },
  });

  // Not in the OpenAPI document (like /livez): an operations endpoint, not part of the API.
  app.get('/metrics', { schema: { hide: true }, logLevel: 'warn' }, async (_request, reply) => {
    const { contentType, body } = await metrics.scrape();
    return reply.type(contentType).send(body);
  });
}
