import type { Outbox, OutboxEventInput, Tx } from '../../services/ports.js';
import { txClient } from '../db/unit-of-work.js';

/** Writes event rows in the caller's transaction; the relay publishes them after commit. */
export class PrismaOutbox implements Outbox {
  constructor(
    private readonly subjectPrefix: string,
    private readonly onKick: () => void,
  ) {}

  async add(tx: Tx, events: OutboxEventInput[]): Promise<void> {
    if (events.length === 0) return;
    await txClient(tx).outboxEvent.createMany({
      data: events.map((e) => ({
        eventId: e.eventId,
        subject: `${this.subjectPrefix}.${e.topic}`,
        payload: JSON.stringify(e.payload),
      })),
    });
  }

  kick(): void {
    this.onKick();
  }
}
