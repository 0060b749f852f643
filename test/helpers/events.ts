import { DeliverPolicy, jetstream, jetstreamManager } from '@nats-io/jetstream';
import type { Runtime } from '../../src/compose.js';

const PROCESS_START = new Date(Date.now() - 1000).toISOString();

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
  await runtime.internals.relay.flush();
  const nc = runtime.internals.bus.connection!;
  const stream = (await (await jetstreamManager(nc)).streams.find(subject)) as string;
  const consumer = await jetstream(nc).consumers.get(stream, {
    filter_subjects: subject,
    // Only what this test process published: streams outlive test runs.
    deliver_policy: DeliverPolicy.StartTime,
    opt_start_time: PROCESS_START,
  });
  const events: StreamEvent[] = [];
  let pending = (await consumer.info(false)).num_pending;
  while (pending > 0) {
    const batch = await consumer.fetch({ max_messages: Math.min(pending, 500), expires: 2000 });
    for await (const m of batch) {
      pending = m.info.pending;
      const payload = m.json<Record<string, any>>();
      if (filter(payload)) events.push({ subject: m.subject, seq: m.seq, payload });
      if (pending === 0) break;
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
