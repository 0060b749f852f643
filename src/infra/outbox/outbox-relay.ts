import type { PrismaClient } from '../../generated/prisma/client.js';
import type { Logger } from '../../services/ports.js';
import type { NatsBus } from '../nats/nats-bus.js';

export interface OutboxRelayOptions {
  pollIntervalMs: number;
  batchSize?: number;
  /** Published rows older than this are deleted. */
  retentionMs?: number;
}

interface OutboxRow {
  seq: bigint;
  eventId: string;
  subject: string;
  payload: string;
}

/**
 * Publishes committed outbox rows to JetStream with msgID = eventId, so a row
 * published twice (crash between ack and mark) is dropped by the stream's
 * duplicate window. Rows are claimed with FOR UPDATE SKIP LOCKED: several
 * instances relay concurrently without publishing the same row at the same time.
 */
export class OutboxRelay {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<unknown> | null = null;
  private again = false;
  private stopped = false;
  private lastPurge = 0;
  private listener: ((payload: string) => void) | null = null;

  /** Tells `listener` of each event this relay publishes, after its row is marked (statistics; it must not throw). */
  onPublished(listener: (payload: string) => void) {
    this.listener = listener;
  }

  constructor(
    private readonly prisma: PrismaClient,
    private readonly bus: NatsBus,
    private readonly opts: OutboxRelayOptions,
    private readonly log: Logger,
  ) {}

  start() {
    this.stopped = false;
    this.schedule();
  }

  async stop() {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.running;
  }

  /** Publish soon: called after a commit that wrote events. */
  kick() {
    if (this.stopped) return;
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = this.drain().finally(() => {
      this.running = null;
      if (this.again) {
        this.again = false;
        this.kick();
      }
    });
  }

  /**
   * Publishes everything committed so far: waits for a run already in flight (its claimed
   * rows are skipped by a concurrent claim until it commits), then drains.
   */
  async flush(): Promise<number> {
    let total = 0;
    // A kick during our drain chains another run: wait for runs until none is in flight.
    for (let i = 0; i < 20; i++) {
      await this.running;
      total += await this.drain();
      if (!this.running) break;
    }
    return total;
  }

  /** Publishes until the outbox is empty or NATS fails; returns how many were published. */
  async drain(): Promise<number> {
    let total = 0;
    while (!this.stopped && this.bus.isReady()) {
      const published = await this.relayBatch().catch((err) => {
        this.log.warn({ err }, 'outbox relay batch failed');
        return 0;
      });
      total += published;
      if (published < (this.opts.batchSize ?? 100)) break;
    }
    await this.purge().catch((err) => this.log.warn({ err }, 'outbox purge failed'));
    return total;
  }

  /** Rows committed but not yet published (for readiness and metrics). */
  async lag(): Promise<{ pending: number; oldestMs: number | null }> {
    const rows = await this.prisma.$queryRaw<{ n: bigint; oldest: Date | null }[]>`
      SELECT COUNT(*) AS n, MIN(createdAt) AS oldest FROM OutboxEvent WHERE publishedAt IS NULL`;
    const row = rows[0];
    return {
      pending: Number(row?.n ?? 0),
      oldestMs: row?.oldest ? Date.now() - new Date(row.oldest).getTime() : null,
    };
  }

  private schedule() {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.kick();
      void (this.running ?? Promise.resolve()).finally(() => this.schedule());
    }, this.opts.pollIntervalMs);
    this.timer.unref();
  }

  private async relayBatch(): Promise<number> {
    const limit = this.opts.batchSize ?? 100;
    return this.prisma.$transaction(
      async (tx) => {
        const rows = await tx.$queryRaw<OutboxRow[]>`
          SELECT seq, eventId, subject, payload FROM OutboxEvent
          WHERE publishedAt IS NULL ORDER BY seq LIMIT ${limit} FOR UPDATE SKIP LOCKED`;
        const done: bigint[] = [];
        const payloads: string[] = [];
        for (const row of rows) {
          try {
            await this.bus.publish(row.subject, row.payload, row.eventId);
            done.push(row.seq);
            payloads.push(row.payload);
          } catch (err) {
            await tx.$executeRaw`
              UPDATE OutboxEvent SET attempts = attempts + 1, lastError = ${String(err).slice(0, 1000)}
              WHERE seq = ${row.seq}`;
            break;
          }
        }
        if (done.length > 0) {
          await tx.outboxEvent.updateMany({
            where: { seq: { in: done } },
            data: { publishedAt: new Date() },
          });
        }
        return payloads;
      },
      { maxWait: 5000, timeout: 30000 },
    ).then((payloads) => {
      if (this.listener) for (const p of payloads) this.listener(p);
      return payloads.length;
    });
  }

  private async purge() {
    const retention = this.opts.retentionMs ?? 24 * 3600 * 1000;
    if (Date.now() - this.lastPurge < 60_000) return;
    this.lastPurge = Date.now();
    await this.prisma.outboxEvent.deleteMany({
      where: { publishedAt: { lt: new Date(Date.now() - retention) } },
    });
  }
}
