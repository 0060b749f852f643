import { AckPolicy, DeliverPolicy, type ConsumerMessages } from '@nats-io/jetstream';
import type { Logger } from '../../services/ports.js';
import type { NatsBus } from './nats-bus.js';

export interface ContractTerminated {
  eventId?: string;
  contractId: string;
  reason?: string | null;
}

export interface ConsumerOptions {
  stream: string;
  /** Subjects the stream must cover (standalone mode creates it). */
  streamSubjects: string[];
  subject: string;
  durableName: string;
}

/**
 * Durable, explicit-ack pull consumer of `contract.terminated`. A message is acked
 * only after the handler committed (the handler records the message id in the inbox
 * in the same transaction as its effect), so redelivery never applies it twice.
 */
export class ContractTerminatedConsumer {
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
    private readonly handle: (messageId: string, event: ContractTerminated) => Promise<void>,
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
          deliver_policy: DeliverPolicy.All,
          filter_subject: this.opts.subject,
          ack_wait: 30_000_000_000,
        });
        const consumer = await this.bus.jetstream!.consumers.get(this.opts.stream, this.opts.durableName);
        this.messages = await consumer.consume({ max_messages: 50 });
        for await (const m of this.messages) {
          const messageId = m.headers?.get('Nats-Msg-Id') || `${this.opts.stream}:${m.seq}`;
          try {
            await this.handle(messageId, m.json<ContractTerminated>());
            m.ack();
          } catch (err) {
            this.log.warn({ err, messageId }, 'contract.terminated handling failed; will be redelivered');
            m.nak(2000);
          }
        }
      } catch (err) {
        if (!this.stopped) this.log.warn({ err }, 'contract.terminated consumer restarting');
      }
      if (!this.stopped) await Promise.race([new Promise((r) => setTimeout(r, 1000)), this.stopping]);
    }
  }
}
