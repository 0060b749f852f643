import {
  BrokenCircuitError,
  BulkheadRejectedError,
  bulkhead,
  circuitBreaker,
  ConsecutiveBreaker,
  ExponentialBackoff,
  handleWhen,
  retry,
  TaskCancelledError,
  timeout,
  TimeoutStrategy,
  wrap,
  CircuitState,
  type IPolicy,
} from 'cockatiel';
import { Pool } from 'undici';
import { ClientError, type ClientErrorKind } from '../errors.js';
import { STATUS_OF_KIND, type Neighbour } from './wire.js';

/** How every neighbour is called (CRAFT_NEIGHBOUR_* settings). */
export interface CallSettings {
  /** Per attempt, ms. */
  timeoutMs: number;
  /** Extra attempts of a retryable call (keyed, or a read) after a transient failure. */
  retries: number;
  /** Keep-alive connections per neighbour; also the bulkhead's concurrency. */
  connections: number;
  /** Calls waiting for a connection beyond which a call is refused at once (503). */
  queue: number;
  /** Consecutive transient failures that open the breaker. */
  breakerFailures: number;
  /** How long an open breaker refuses before it lets one trial call through, ms. */
  breakerHalfOpenMs: number;
}

/** What a transport reports (Prometheus in production, see neighbour-metrics.ts). */
export interface NeighbourObserver {
  call(service: Neighbour, path: string, outcome: string, seconds: number): void;
  retry(service: Neighbour, path: string): void;
  breaker(service: Neighbour, state: 'closed' | 'open' | 'half_open'): void;
}

import type { TokenSource } from './token.js';
export type { TokenSource } from './token.js';

export interface CallOptions {
  /** Safe to repeat: the call is keyed, or only reads. Only these are retried. */
  retryable: boolean;
  /** 404 means "none": the call returns null instead of throwing `not_found`. */
  nullOn404?: boolean;
}

/** A failure worth retrying and counting against the breaker: the call may not have reached the service. */
class TransientError extends Error {
  constructor(
    message: string,
    readonly outcome: string,
  ) {
    super(message);
  }
}

const KIND_OF_STATUS = new Map<number, ClientErrorKind>(Object.entries(STATUS_OF_KIND).map(([k, s]) => [s, k as ClientErrorKind]));
/** An answer larger than this is not read (a neighbour gone wrong must not fill our memory). */
const MAX_ANSWER_BYTES = 16 * 1024 * 1024;
/** A timed-out attempt: the breaker counts it, the retry policy repeats it. */
const isTransient = (err: Error) => err instanceof TransientError || err instanceof TaskCancelledError;

const STATE_NAMES: Record<CircuitState, 'closed' | 'open' | 'half_open'> = {
  [CircuitState.Closed]: 'closed',
  [CircuitState.Open]: 'open',
  [CircuitState.HalfOpen]: 'half_open',
  [CircuitState.Isolated]: 'open',
};

/**
 * One neighbouring service over HTTP: a keep-alive pool (undici), and around every call, from
 * the outside in, retries with exponential backoff (retryable calls only), a circuit breaker
 * (opened by consecutive transient failures: unreachable, timed out, 5xx, 429), a bulkhead
 * (at most `connections` calls at once, `queue` waiting) and a timeout per attempt. Refusals
 * (400, 404, 409, 422) become the ClientError kinds the stubs throw; anything transient that
 * outlasts the retries, an open breaker and a full bulkhead become `unavailable` (503
 * DEPENDENCY_UNAVAILABLE above).
 */
export class HttpTransport {
  private readonly pool: Pool;
  private readonly basePath: string;
  private readonly breaker;
  private readonly guarded: IPolicy;
  private readonly retrying: IPolicy;
  private ready: { at: number; check: Promise<void> } | null = null;

  constructor(
    readonly service: Neighbour,
    baseUrl: string,
    private readonly settings: CallSettings,
    private readonly token: TokenSource,
    private readonly observer: NeighbourObserver | null,
  ) {
    const url = new URL(baseUrl);
    this.basePath = url.pathname.replace(/\/+$/, '');
    this.pool = new Pool(url.origin, { connections: settings.connections, keepAliveTimeout: 10_000, pipelining: 1, maxResponseSize: MAX_ANSWER_BYTES });
    this.breaker = circuitBreaker(handleWhen(isTransient), { halfOpenAfter: settings.breakerHalfOpenMs, breaker: new ConsecutiveBreaker(settings.breakerFailures) });
    this.breaker.onStateChange((state) => observer?.breaker(service, STATE_NAMES[state]));
    const attempt = timeout(settings.timeoutMs, TimeoutStrategy.Aggressive);
    // The bulkhead outside the breaker: a call refused for want of room is no verdict on the neighbour.
    const guarded = wrap(bulkhead(settings.connections, settings.queue), this.breaker, attempt);
    const retryPolicy = retry(handleWhen(isTransient), { maxAttempts: settings.retries, backoff: new ExponentialBackoff({ initialDelay: 50, maxDelay: 1000 }) });
    // A deadline for the whole call, queueing and retries included: a queued call past it never runs.
    const deadline = (attempts: number) => timeout(settings.timeoutMs * (attempts + 1), TimeoutStrategy.Aggressive);
    this.guarded = wrap(deadline(1), guarded);
    this.retrying = wrap(deadline(settings.retries + 1), retryPolicy, guarded);
    observer?.breaker(service, 'closed');
  }

  /** The breaker's state, for /readyz. */
  get breakerState(): 'closed' | 'open' | 'half_open' {
    return STATE_NAMES[this.breaker.state];
  }

  /** POSTs `body` to `path` and returns the parsed answer (null for a 404 with `nullOn404`). */
  async call<T>(path: string, body: unknown, opts: CallOptions): Promise<T> {
    const started = performance.now();
    let attempts = 0;
    try {
      // A signal of the call's own: the policies' shared default one would gather a listener per call in flight.
      const result = await (opts.retryable ? this.retrying : this.guarded).execute(({ signal }) => {
        if (attempts++ > 0) this.observer?.retry(this.service, path);
        return this.once<T>(path, body, signal, opts.nullOn404 ?? false);
      }, new AbortController().signal);
      this.observer?.call(this.service, path, 'ok', (performance.now() - started) / 1000);
      return result as T;
    } catch (err) {
      const failure = this.failure(err);
      this.observer?.call(this.service, path, failure.outcome, (performance.now() - started) / 1000);
      throw failure.error;
    }
  }

  /**
   * Whether the service answers (readiness): an empty call to a read-only `path`, outside the
   * breaker and without retries. An answer below 500 is up, except a refusal of our
   * credentials or a 404 that is not about a thing asked for; an open breaker is down. One
   * check a second at most, shared by concurrent callers.
   */
  ping(path: string): Promise<void> {
    if (this.ready && Date.now() - this.ready.at < 1000) return this.ready.check;
    const check = (async () => {
      if (this.breaker.state === CircuitState.Open) throw new Error(`${this.service}: circuit open after repeated failures`);
      const token = await this.token(this.service);
      const res = await this.pool.request({
        method: 'POST',
        path: this.basePath + path,
        headers: { 'content-type': 'application/json', ...(token && { authorization: `Bearer ${token}` }) },
        body: '{}',
        signal: AbortSignal.timeout(this.settings.timeoutMs),
      });
      const answer = parse<{ code?: unknown }>(await res.body.text(), this.service, path, true);
      if (res.statusCode >= 500) throw new Error(`${this.service} answered ${res.statusCode}`);
      if (res.statusCode === 401 || res.statusCode === 403) throw new Error(`${this.service} refused lib-craft's credentials (${res.statusCode})`);
      if (res.statusCode === 404 && typeof answer?.code === 'string' && answer.code !== 'not_found') throw new Error(`${this.service} does not serve ${path}`);
    })();
    this.ready = { at: Date.now(), check };
    return check;
  }

  close(): Promise<void> {
    return this.pool.close();
  }

  private async once<T>(path: string, body: unknown, signal: AbortSignal, nullOn404: boolean): Promise<T | null> {
    const token = await this.token(this.service);
    let res;
    try {
      res = await this.pool.request({
        method: 'POST',
        path: this.basePath + path,
        headers: { 'content-type': 'application/json', ...(token && { authorization: `Bearer ${token}` }) },
        body: JSON.stringify(body),
        signal,
      });
    } catch (err) {
      if (signal.aborted) throw new TaskCancelledError(`${this.service} did not answer ${path} in ${this.settings.timeoutMs} ms`);
      throw new TransientError(`${this.service} unreachable (${(err as Error).message})`, 'unreachable');
    }
    const text = await res.body.text().catch(() => {
      throw new TransientError(`${this.service}: the answer to ${path} was cut off`, 'unreachable');
    });
    const status = res.statusCode;
    if (status >= 200 && status < 300) return parse<T>(text, this.service, path);
    const answer = parse<{ code?: unknown; message?: unknown }>(text, this.service, path, true) ?? {};
    const code = typeof answer.code === 'string' ? answer.code : null;
    // A message that already names the service (the stub server's do) is not prefixed twice.
    const said = typeof answer.message === 'string' ? answer.message : `${path} answered ${status}`;
    const message = said.startsWith(`${this.service}: `) ? said.slice(this.service.length + 2) : said;
    if (status >= 500 || status === 429) throw new TransientError(`${this.service}: ${message}`, `status_${status}`);
    if (status === 401 || status === 403) throw new ClientError(this.service, 'unavailable', `the service refused lib-craft's credentials (${status})`);
    if (status === 404) {
      // Only a 404 about the thing asked for means "none"; another (a route the service does
      // not have, a gateway's page) is a broken address, never "already gone".
      if (code !== null && code !== 'not_found') throw new TransientError(`${this.service}: ${path} is not served there (404 ${code})`, 'no_route');
      if (nullOn404) return null;
      throw new ClientError(this.service, 'not_found', message);
    }
    if (status === 422) throw new ClientError(this.service, code === null || code === 'insufficient_funds' ? 'insufficient_funds' : 'invalid', message);
    const kind = KIND_OF_STATUS.get(status);
    if (!kind || kind === 'unavailable') throw new ClientError(this.service, 'unavailable', `${path} answered ${status}`);
    throw new ClientError(this.service, kind, message);
  }

  private failure(err: unknown): { error: Error; outcome: string } {
    if (err instanceof ClientError) return { error: err, outcome: err.kind === 'unavailable' ? 'refused' : err.kind };
    if (err instanceof BrokenCircuitError) return { error: new ClientError(this.service, 'unavailable', 'circuit open after repeated failures'), outcome: 'breaker_open' };
    if (err instanceof BulkheadRejectedError) return { error: new ClientError(this.service, 'unavailable', 'too many calls waiting'), outcome: 'bulkhead_full' };
    if (err instanceof TaskCancelledError) return { error: new ClientError(this.service, 'unavailable', `no answer in ${this.settings.timeoutMs} ms`), outcome: 'timeout' };
    if (err instanceof TransientError) return { error: new ClientError(this.service, 'unavailable', err.message), outcome: err.outcome };
    return { error: new ClientError(this.service, 'unavailable', (err as Error).message), outcome: 'error' };
  }
}

function parse<T>(text: string, service: string, path: string, lenient = false): T | null {
  if (text === '') return null;
  try {
    return JSON.parse(text) as T;
  } catch {
    if (lenient) return null;
    throw new TransientError(`${service}: the answer to ${path} is not JSON`, 'bad_answer');
  }
}
