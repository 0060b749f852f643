import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import type { Runtime } from '../../src/compose.js';

export interface StreamEvent {
  subject: string;
  seq: number;
  payload: Record<string, any>;
}

/**
 * Every message the worker's stream holds on `subject` (read with an ordered
 * consumer, no acks), optionally filtered. Waits for the outbox relay first.
 */
export async function streamEvents(
  runtime: Runtime,
  subject: string,
  filter: (p: Record<string, any>) => boolean = () => true,
): Promise<StreamEvent[]> {
  await runtime.internals.relay.drain();
  const nc = runtime.internals.bus.connection!;
  const stream = (await (await jetstreamManager(nc)).streams.find(subject)) as string;
  const consumer = await jetstream(nc).consumers.get(stream, { filter_subjects: [subject] });
  const events: StreamEvent[] = [];
  for (;;) {
    const info = await consumer.info(true);
    if (info.num_pending === 0) break;
    const batch = await consumer.fetch({ max_messages: 500, expires: 1000 });
    for await (const m of batch) {
      const payload = m.json<Record<string, any>>();
      if (filter(payload)) events.push({ subject: m.subject, seq: m.seq, payload });
      if (m.info.pending === 0) break;
    }
  }
  return events;
}

/** Polls until `predicate` holds or the attempts run out; returns the last value. */
export async function eventually<T>(probe: () => Promise<T>, predicate: (v: T) => boolean, attempts = 50): Promise<T> {
  let value = await probe();
  for (let i = 0; i < attempts && !predicate(value); i++) {
    await new Promise((r) => setTimeout(r, 100));
    value = await probe();
  }
  return value;
}
