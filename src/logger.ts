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

export function createLogger(level: string, destination: DestinationStream = stdoutDestination()): Logger {
  const options = { level, base: { service: 'randomcamerareviews-api' }, redact: { paths: REDACTED_PATHS, censor: '[redacted]' } };
  return pino(options, destination);
}

/** How long one log line may block the process on a stdout nobody reads before lines are dropped instead. */
const STALLED_STDOUT_MS = 1000;
/** Lines kept while stdout cannot take them; beyond this they are dropped. */
const MAX_BUFFERED_BYTES = 1024 * 1024;

/**
 * stdout written synchronously, never waiting on it without bound. pino's default destination writes
 * asynchronously and, at exit, flushes what is left with sonic-boom 4's flushSync, which retries every
 * failed write every 100 ms forever, EPIPE included: a service whose parent had exited (its stdout a
 * closed pipe) hung in that loop after `process.exit`, its shutdown timer unable to fire (ADR 0036).
 * Written synchronously there is nothing left to flush at exit; a closed pipe turns logging off (pino's
 * EPIPE filter), and a reader that stops reading blocks a line for at most STALLED_STDOUT_MS.
 */
export function stdoutDestination(): DestinationStream {
  let stalledSince: number | undefined;
  const destination = pino.destination({
    dest: 1,
    sync: true,
    maxLength: MAX_BUFFERED_BYTES,
    retryEAGAIN: () => {
      const now = Date.now();
      stalledSince ??= now;
      return now - stalledSince < STALLED_STDOUT_MS;
    },
  });
  // sonic-boom reports a retry after EAGAIN as a write of 0 bytes: only bytes written end a stall
  destination.on('write', (bytes: number) => {
    if (bytes > 0) stalledSince = undefined;
  });
  // a line that could not be written stays buffered (up to MAX_BUFFERED_BYTES) for the next write to retry
  destination.on('error', () => {});
  return destination;
}

/**
 * An error as logs may hold it: type, message, code and stack frames, never a driver's other fields.
 * knex prefixes a failed query's message with the SQL and its bindings (user data), joined by ' - ':
 * of a database error's message (one with a five-character SQLSTATE code, or one that starts with SQL)
 * only the driver's own part is kept.
 */
export function errorSummary(error: unknown): { type?: string; message: string; code?: string; stack?: string } {
  // an Error of another realm (a vm context, as under jest) is not `instanceof Error` here
  if (!(error instanceof Error) && typeof (error as { message?: unknown } | null)?.message !== 'string') return { message: String(error) };
  const e = error as Error;
  const code = (e as { code?: unknown }).code;
  const isSqlState = typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code);
  // knex prefixes every failed query's message, a dropped connection's too (ECONNRESET, no SQLSTATE)
  const startsWithSql = /^\s*(select|insert|update|delete|with|set|lock|begin|commit|rollback|call|values|prepare|execute)\b/i.test(e.message);
  const cut = isSqlState || startsWithSql ? e.message.lastIndexOf(' - ') : -1;
  return {
    type: e.name,
    message: cut === -1 ? e.message : e.message.slice(cut + 3),
    ...(typeof code === 'string' && { code }),
    // frames only: the stack starts with the message (which may span lines, as SQL does)
    ...(e.stack && {
      stack: e.stack
        .split('\n')
        .filter((line) => /^\s+at /.test(line))
        .join('\n'),
    }),
  };
}

/** errorSummary without the stack: for failures an outage brings by the hundred, where frames tell nothing new. */
export function outageSummary(error: unknown): Omit<ReturnType<typeof errorSummary>, 'stack'> {
  const { stack: _frames, ...summary } = errorSummary(error);
  return summary;
}
