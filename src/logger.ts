import { pino, type DestinationStream, type Logger } from 'pino';

// Logs never hold credentials. Request logs carry method and path only (src/http/request-logging.ts);
// this redaction is the net under that, for anything that logs an object holding one.

const SECRET_FIELDS = [
  'password',
  'current_password',
  'new_password',
  'initial_password',
  'password_hash',
  'passwordHash',
  'access_token',
  'refresh_token',
  'refreshToken',
  'token',
  'token_hash',
  'secret',
  'authorization',
  'cookie',
];

/** pino paths for each secret field at the top level, one level down and two levels down. */
export const REDACTED_PATHS = SECRET_FIELDS.flatMap((field) => [field, `*.${field}`, `*.*.${field}`]);

export function createLogger(level: string, destination?: DestinationStream): Logger {
  const options = { level, base: { service: 'randomcamerareviews-api' }, redact: { paths: REDACTED_PATHS, censor: '[redacted]' } };
  return destination ? pino(options, destination) : pino(options);
}
