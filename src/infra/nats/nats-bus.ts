import { connect, type NatsConnection } from '@nats-io/transport-node';
import { jetstream, jetstreamManager, type JetStreamClient, type JetStreamManager } from '@nats-io/jetstream';
import type { Logger } from '../../services/ports.js';

export interface NatsBusOptions {
  url: string;
  stream: string;
  subjectPrefix: string;
}

/**
 * One NATS connection per process. It connects in the background and keeps
 * reconnecting: the service starts and commits state while NATS is away (events
 * wait in the outbox), and readiness reports NATS as down meanwhile.
 */
export class NatsBus {
  private nc: NatsConnection | null = null;
  private js: JetStreamClient | null = null;
  private jsm: JetStreamManager | null = null;
  private streamReady = false;
  private disconnected = false;
  private closed = false;
  private readonly connecting: Promise<void>;

  constructor(
    private readonly opts: NatsBusOptions,
    private readonly log: Logger,
  ) {
    this.connecting = this.connectLoop();
  }

  /** Resolves once connected and the stream exists (or immediately after close). */
  whenReady(): Promise<void> {
    return this.connecting;
  }

  get connection(): NatsConnection | null {
    return this.nc;
  }

  get jetstream(): JetStreamClient | null {
    return this.js;
  }

  get manager(): JetStreamManager | null {
    return this.jsm;
  }

  /**
   * Makes sure a stream exists and covers `subjects` (idempotent). Used for streams
   * other services own in production but that standalone mode must provide.
   */
  async ensureStream(name: string, subjects: string[]): Promise<void> {
    if (!this.jsm) throw new Error('NATS is not connected');
    try {
      const info = await this.jsm.streams.info(name);
      const existing = info.config.subjects ?? [];
      if (subjects.every((wanted) => existing.some((e) => covers(e, wanted)))) return;
      // JetStream refuses overlapping subjects: a wildcard we add replaces the ones it covers.
      const kept = existing.filter((e) => !subjects.some((wanted) => covers(wanted, e)));
      await this.jsm.streams.update(name, { subjects: [...kept, ...subjects] });
    } catch (err) {
      if (!String((err as Error).message).includes('not found')) throw err;
      await this.jsm.streams.add({ name, subjects });
    }
  }

  isReady(): boolean {
    return this.nc !== null && !this.nc.isClosed() && this.streamReady && !this.disconnected;
  }

  subject(topic: string): string {
    return `${this.opts.subjectPrefix}.${topic}`;
  }

  async publish(subject: string, data: string, msgID: string): Promise<{ duplicate: boolean }> {
    if (!this.js || !this.isReady()) throw new Error('NATS is not connected');
    const ack = await this.js.publish(subject, data, { msgID, timeout: 5000 });
    return { duplicate: ack.duplicate };
  }

  async check(): Promise<void> {
    if (!this.jsm || !this.isReady()) throw new Error('NATS is not connected');
    await this.jsm.streams.info(this.opts.stream);
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.nc && !this.nc.isClosed()) await this.nc.drain().catch(() => this.nc?.close());
  }

  private async connectLoop(): Promise<void> {
    let attempt = 0;
    while (!this.closed) {
      try {
        const nc = await connect({
          servers: this.opts.url,
          name: 'lib-craft',
          reconnect: true,
          maxReconnectAttempts: -1,
          reconnectTimeWait: 500,
          timeout: 2000,
        });
        this.nc = nc;
        this.watchStatus(nc);
        this.jsm = await jetstreamManager(nc);
        this.js = jetstream(nc);
        await this.ensureOwnStream();
        this.log.info({ stream: this.opts.stream }, 'connected to NATS JetStream');
        return;
      } catch (err) {
        attempt++;
        if (attempt === 1 || attempt % 30 === 0) {
          this.log.warn({ err, attempt }, 'NATS unavailable; retrying in the background');
        }
        if (this.nc && !this.nc.isClosed()) await this.nc.close().catch(() => undefined);
        this.nc = null;
        await new Promise((r) => setTimeout(r, 1000));
      }
    }
  }

  private watchStatus(nc: NatsConnection) {
    void (async () => {
      for await (const s of nc.status()) {
        if (s.type === 'disconnect') this.disconnected = true;
        if (s.type === 'reconnect') {
          this.disconnected = false;
          // JetStream state may be gone if the server restarted without its store.
          await this.ensureOwnStream().catch((err) => this.log.warn({ err }, 'stream check failed'));
        }
      }
    })().catch(() => undefined);
  }

  private async ensureOwnStream() {
    await this.ensureStream(this.opts.stream, [`${this.opts.subjectPrefix}.>`]);
    this.streamReady = true;
  }
}

/** Whether subject pattern `a` matches every subject `b` matches (`>` and `*` wildcards). */
export function covers(a: string, b: string): boolean {
  const at = a.split('.');
  const bt = b.split('.');
  for (let i = 0; i < at.length; i++) {
    if (at[i] === '>') return bt.length > i;
    if (i >= bt.length) return false;
    if (at[i] !== '*' && at[i] !== bt[i]) return false;
    if (at[i] === '*' && bt[i] === '>') return false;
  }
  return at.length === bt.length;
}
