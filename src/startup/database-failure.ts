import { StartupError } from './startup-error.js';

// Opening the database is where a newcomer's start fails most: a driver error code becomes one line
// naming DATABASE_URL, where it points, and what to do. Unknown errors pass unchanged.

/** The URL without its password, safe to print and log. */
export function redactUrl(url: string): string {
  const parsed = new URL(url);
  parsed.password = '';
  parsed.searchParams.delete('password');
  return parsed.toString();
}

export function databaseFailure(error: unknown, db: { url: string | undefined }): unknown {
  const code = errorCode(error);
  // migrate.ts's own message, on either database
  if (error instanceof Error && error.name === 'MigrationLockError') return new StartupError(error.message);
  if (!db.url) return error; // DATA_DIR was checked before (data-dir.ts)
  const { hostname, port, pathname, username } = new URL(db.url);
  const where = `PostgreSQL at ${hostname}:${port || 5432} (DATABASE_URL)`;
  const reason = {
    ECONNREFUSED: 'connection refused',
    ENOTFOUND: 'host not found',
    EAI_AGAIN: 'host not found',
    EHOSTUNREACH: 'host unreachable',
    ENETUNREACH: 'network unreachable',
    ETIMEDOUT: 'no answer',
    ECONNRESET: 'connection closed by the server',
  }[code ?? ''];
  if (reason) return new StartupError(`Cannot reach ${where}: ${reason}. Start PostgreSQL there, fix DATABASE_URL, or unset it to use the embedded database.`);
  if (error instanceof Error && error.name === 'KnexTimeoutError') {
    return new StartupError(`Cannot reach ${where}: no connection within 5 s. Check that PostgreSQL runs there and accepts connections, or fix DATABASE_URL.`);
  }
  if (code === '28P01' || code === '28000') {
    return new StartupError(`${where} refused user "${decodeURIComponent(username)}": fix the user or password in DATABASE_URL.`);
  }
  if (code === '3D000') {
    const name = decodeURIComponent(pathname.slice(1));
    return new StartupError(`${where} has no database "${name}": create it (createdb ${name}) or fix DATABASE_URL.`);
  }
  return error;
}

/** Node gives `localhost` connection failures as an AggregateError (one per address tried). */
function errorCode(error: unknown): string | undefined {
  if (!(error instanceof Error)) return undefined;
  const own = (error as NodeJS.ErrnoException).code;
  if (own) return own;
  return error instanceof AggregateError ? errorCode(error.errors[0]) : undefined;
}
