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

/**
 * An error as logs may hold it: type, message, code and stack frames, never a driver's other fields.
 * knex prefixes a failed query's message with the SQL and its bindings (user data), joined by ' - ':
 * of a database error's message (one with a five-character SQLSTATE code) only the driver's own part is kept.
 */
export function errorSummary(error: unknown): { type?: string; message: string; code?: string; stack?: string } {
  if (!(error instanceof Error)) return { message: String(error) };
  const code = (error as { code?: unknown }).code;
  const isSqlState = typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code);
  const cut = isSqlState ? error.message.lastIndexOf(' - ') : -1;
  return {
    type: error.name,
    message: cut === -1 ? error.message : error.message.slice(cut + 3),
    ...(typeof code === 'string' && { code }),
    // frames only: the stack starts with the message (which may span lines, as SQL does)
    ...(error.stack && { stack: error.stack.split('\n').filter((line) => /^\s+at /.test(line)).join('\n') }),
  };
}
