import type { Outbox, OutboxEventInput, Tx } from '../../services/ports.js';
import { txClient } from '../db/unit-of-work.js';

/** The OutboxEvent rows of `events`: subject `<prefix>.<topic>`, JSON payload. */
export function outboxRows(subjectPrefix: string, events: OutboxEventInput[]) {
  return events.map((e) => ({ eventId: e.eventId, subject: `${subjectPrefix}.${e.topic}`, payload: JSON.stringify(e.payload) }));
}

/** Writes event rows in the caller's transaction; the relay publishes them after commit. */
export class PrismaOutbox implements Outbox {
  constructor(
    private readonly subjectPrefix: string,
    private readonly onKick: () => void,
  ) {}

  async add(tx: Tx, events: OutboxEventInput[]): Promise<void> {
    if (events.length === 0) return;
    await txClient(tx).outboxEvent.createMany({ data: outboxRows(this.subjectPrefix, events) });
  }

  kick(): void {
    this.onKick();
  }
}
