import { pino, type DestinationStream, type Logger } from 'pino';

/** Secrets never reach the logs, whichever object carries them. */
export const REDACT_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-api-key"]',
  'headers.authorization',
  '*.password',
  '*.token',
  '*.secret',
  '*.databaseUrl',
  '*.redisUrl',
  '*.natsUrl',
];

/**
 * JSON lines (for log collectors), or with `pretty` (npm run dev in a terminal: LOG_PRETTY)
 * readable lines through pino-pretty, a development dependency loaded only then.
 */
export function createLogger(level: string, destination?: DestinationStream, opts: { pretty?: boolean } = {}): Logger {
  const options = { level, redact: { paths: REDACT_PATHS, censor: '[redacted]' } };
  if (opts.pretty && !destination) {
    return pino({ ...options, transport: { target: 'pino-pretty', options: { translateTime: 'SYS:HH:MM:ss.l', ignore: 'pid,hostname' } } });
  }
  return pino(options, destination);
}
