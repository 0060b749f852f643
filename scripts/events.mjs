#!/usr/bin/env node
// Prints lib-craft's lifecycle events as they are published: `npm run events [-- options]`.
//
//   npm run events                          every event from now on
//   npm run events -- session.>             one kind (subject after the prefix; NATS wildcards)
//   npm run events -- --all recipe.created  the stream's stored events first, then live ones
//   npm run events -- --game-service <id>   only events of one game service
//   npm run events -- --json                one JSON object per line (subject + payload)
//
// Reads NATS_URL (default nats://127.0.0.1:4222), CRAFT_EVENT_SUBJECT_PREFIX (default craft)
// and CRAFT_NATS_STREAM (default CRAFT); `.env` is not read (export what differs).
// Ctrl-C stops it.
import { connect } from '@nats-io/transport-node';
import { jetstream } from '@nats-io/jetstream';

const args = process.argv.slice(2);
const opts = { all: false, json: false, gameService: null, filter: null };
for (let i = 0; i < args.length; i++) {
  const a = args[i];
  if (a === '--all') opts.all = true;
  else if (a === '--json') opts.json = true;
  else if (a === '--game-service') opts.gameService = (args[++i] ?? '').toLowerCase();
  else if (a === '-h' || a === '--help') {
    process.stdout.write(
      'usage: npm run events -- [--all] [--json] [--game-service <id>] [<subject filter, e.g. session.> or session.completed>]\n',
    );
    process.exit(0);
  } else if (!a.startsWith('-') && opts.filter === null) opts.filter = a;
  else {
    process.stderr.write(`events: unknown argument ${a} (try --help)\n`);
    process.exit(2);
  }
}

const servers = process.env.NATS_URL || 'nats://127.0.0.1:4222';
const prefix = process.env.CRAFT_EVENT_SUBJECT_PREFIX || 'craft';
const stream = process.env.CRAFT_NATS_STREAM || 'CRAFT';
const subject = opts.filter ? (opts.filter.startsWith(`${prefix}.`) ? opts.filter : `${prefix}.${opts.filter}`) : `${prefix}.>`;

const nc = await connect({ servers, name: 'lib-craft-events' }).catch((err) => {
  process.stderr.write(`events: cannot reach NATS at ${servers}: ${err.message}\n`);
  process.exit(1);
});
const js = jetstream(nc);
// An ordered consumer: no state on the server, resumes by itself after a reconnect.
const consumer = await js.consumers
  .get(stream, { filter_subjects: subject, deliver_policy: opts.all ? 'all' : 'new' })
  .catch((err) => {
    process.stderr.write(`events: no stream ${stream} on ${servers} (${err.message}); start lib-craft once, or set CRAFT_NATS_STREAM\n`);
    process.exit(1);
  });
process.stderr.write(`events: ${opts.all ? 'stored and new' : 'new'} events on ${subject} (stream ${stream}, ${servers}); Ctrl-C stops\n`);

const stop = async () => {
  await nc.close();
  process.exit(0);
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);

const messages = await consumer.consume();
for await (const m of messages) {
  let payload;
  try {
    payload = m.json();
  } catch {
    payload = m.string();
  }
  if (opts.gameService && (payload?.gameServiceId ?? '').toLowerCase() !== opts.gameService) continue;
  if (opts.json) process.stdout.write(`${JSON.stringify({ subject: m.subject, payload })}\n`);
  else {
    const { eventName: _name, eventId: _id, timestamp, ...rest } = payload && typeof payload === 'object' ? payload : { value: payload };
    process.stdout.write(`${timestamp ?? new Date().toISOString()}  ${m.subject.slice(prefix.length + 1)}  ${JSON.stringify(rest)}\n`);
  }
}
