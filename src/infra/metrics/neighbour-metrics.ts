import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import type { NeighbourObserver } from '../../clients/http/transport.js';

const BREAKER_VALUE = { closed: 0, half_open: 1, open: 2 } as const;

/** Calls to the neighbouring services over HTTP, per service: latency and outcome, retries, breaker state. */
export class NeighbourMetrics implements NeighbourObserver {
  private readonly calls: Histogram<'service' | 'path' | 'outcome'>;
  private readonly retries: Counter<'service' | 'path'>;
  private readonly breakerState: Gauge<'service'>;

  constructor(registry: Registry) {
    this.calls = new Histogram({
      name: 'craft_neighbour_call_duration_seconds',
      help: 'Calls to neighbouring services, retries included, by service, path and outcome (ok, a refusal kind, timeout, unreachable, status_5xx, breaker_open, bulkhead_full)',
      labelNames: ['service', 'path', 'outcome'],
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers: [registry],
    });
    this.retries = new Counter({
      name: 'craft_neighbour_retries_total',
      help: 'Repeated attempts of retryable calls (keyed or reads) after a transient failure',
      labelNames: ['service', 'path'],
      registers: [registry],
    });
    this.breakerState = new Gauge({
      name: 'craft_neighbour_breaker_state',
      help: 'Circuit breaker per neighbouring service: 0 closed, 1 half open, 2 open (calls refused at once)',
      labelNames: ['service'],
      registers: [registry],
    });
  }

  call(service: string, path: string, outcome: string, seconds: number) {
    this.calls.observe({ service, path, outcome }, seconds);
  }

  retry(service: string, path: string) {
    this.retries.inc({ service, path });
  }

  breaker(service: string, state: keyof typeof BREAKER_VALUE) {
    this.breakerState.set({ service }, BREAKER_VALUE[state]);
  }
}
