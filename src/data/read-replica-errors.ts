import { BrokenCircuitError } from 'cockatiel';
// Which errors say "this server is gone" (route a read elsewhere; answer 503) rather than "this query is wrong".

const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN']);
// 57P01-57P03: shutting down, crashed, starting up; 53300: no connection slot left
const SERVER_GONE_CODES = new Set(['57P01', '57P02', '57P03', '53300']);
// pg reports a socket closed mid-query with a message and no code
const CLOSED_MESSAGES = /Connection terminated|connection error and is not queryable|Query read timeout/;

/** The server could not be reached, or went away mid-query: a replica is marked down (the primary serves); on the primary it is a 503. */
export function isConnectionError(error: unknown): boolean {
  const e = error as { name?: unknown; code?: unknown; message?: unknown } | null;
  if (!e || typeof e !== 'object') return false;
  if (e.name === 'KnexTimeoutError') return true; // no pooled connection could be opened in time
  if (typeof e.code === 'string' && (NETWORK_CODES.has(e.code) || SERVER_GONE_CODES.has(e.code) || e.code.startsWith('08'))) return true;
  return typeof e.message === 'string' && CLOSED_MESSAGES.test(e.message);
}

/** A hot standby cancelled the query because replay needed its rows (40001): the replica is fine, this read is not. */
export function isRecoveryConflict(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return code === '40001' || code === '40P01';
}

// 57014: statement_timeout; 55P03: lock_timeout (a table locked by a migration or by hand)
const TIMED_OUT_CODES = new Set(['57014', '55P03']);

/** The database could not answer (gone, its circuit open, overloaded or locked), not the request wrong: a 503, or a stale copy for a public read. */
export function isDatabaseUnavailable(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return isConnectionError(error) || error instanceof BrokenCircuitError || (typeof code === 'string' && TIMED_OUT_CODES.has(code));
}
