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

export function createLogger(level: string, destination?: DestinationStream): Logger {
  return pino({ level, redact: { paths: REDACT_PATHS, censor: '[redacted]' } }, destination);
}
