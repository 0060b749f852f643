import { AckPolicy, DeliverPolicy, type ConsumerMessages } from '@nats-io/jetstream';
import type { Logger } from '../../services/ports.js';
import type { NatsBus } from './nats-bus.js';

export interface ContractTerminated {
  eventId?: string;
  contractId: string;
  reason?: string | null;
}

export interface ConsumerOptions {
  /** What the messages are, for the log (e.g. `contract.terminated`). */
  label: string;
  stream: string;
  /** Subjects the stream must cover (standalone mode creates it). */
  streamSubjects: string[];
  subject: string;
  durableName: string;
  /** Where a consumer made for the first time starts: the stream's first message (default) or the next one. */
  from?: 'all' | 'new';
  /** Messages handled at once (default 1: in order); handlers of independent messages may overlap. */
  concurrency?: number;
}

/**
 * Durable, explicit-ack pull consumer of one subject, shared by every instance (messages are
 * spread over them). A message is acked only after the handler succeeded; a handler that
 * throws gets it again later, so handlers are idempotent (an inbox row written with the
 * effect, or a keyed call).
 */
export class DurableConsumer<T> {
  private messages: ConsumerMessages | null = null;
  private stopped = false;
  private loop: Promise<void> | null = null;
  private signalStop: () => void = () => undefined;
  /** Resolves on stop(), so waiting for NATS never blocks shutdown. */
  private readonly stopping = new Promise<void>((resolve) => {
    this.signalStop = resolve;
  });

  constructor(
    private readonly bus: NatsBus,
    private readonly opts: ConsumerOptions,
    private readonly handle: (messageId: string, event: T) => Promise<void>,
    private readonly log: Logger,
  ) {}

  start() {
    this.loop = this.run();
  }

  async stop() {
    this.stopped = true;
    this.signalStop();
    await this.messages?.close().catch(() => undefined);
    await this.loop;
  }

  private async run() {
    while (!this.stopped) {
      try {
        await Promise.race([this.bus.whenReady(), this.stopping]);
        if (this.stopped) break;
        await this.bus.ensureStream(this.opts.stream, this.opts.streamSubjects);
        const jsm = this.bus.manager!;
        await jsm.consumers.add(this.opts.stream, {
          durable_name: this.opts.durableName,
          ack_policy: AckPolicy.Explicit,
          deliver_policy: this.opts.from === 'new' ? DeliverPolicy.New : DeliverPolicy.All,
          filter_subject: this.opts.subject,
          ack_wait: 30_000_000_000,
        });
        const consumer = await this.bus.jetstream!.consumers.get(this.opts.stream, this.opts.durableName);
        this.messages = await consumer.consume({ max_messages: 50 });
        const limit = this.opts.concurrency ?? 1;
        const running = new Set<Promise<void>>();
        for await (const m of this.messages) {
          const messageId = m.headers?.get('Nats-Msg-Id') || `${this.opts.stream}:${m.seq}`;
          const one = Promise.resolve()
            .then(() => this.handle(messageId, m.json<T>()))
            .then(
            () => m.ack(),
            (err: unknown) => {
              this.log.warn({ err, messageId }, `${this.opts.label} handling failed; will be redelivered`);
              m.nak(2000);
            },
          );
          running.add(one);
          void one.finally(() => running.delete(one));
          if (running.size >= limit) await Promise.race(running);
        }
        await Promise.all(running);
      } catch (err) {
        if (!this.stopped) this.log.warn({ err }, `${this.opts.label} consumer restarting`);
      }
      if (!this.stopped) await Promise.race([new Promise((r) => setTimeout(r, 1000)), this.stopping]);
    }
  }
}
