import { BrokenCircuitError, CircuitState, ConsecutiveBreaker, circuitBreaker, handleWhen, type CircuitBreakerPolicy } from 'cockatiel';
import type { Knex } from 'knex';
import { isConnectionError } from './read-replica-errors.js';

// A circuit breaker per PostgreSQL server (the primary, each replica), around opening or borrowing a
// connection: after CONSECUTIVE_FAILURES connection-level failures in a row it opens, and every query
// fails at once (BrokenCircuitError: a 503, or a kept copy for a public read) instead of each waiting
// out a connect timeout; after HALF_OPEN_AFTER_MS one attempt goes through, and its success closes it.

const CONSECUTIVE_FAILURES = 5;
const HALF_OPEN_AFTER_MS = 5000;

export type CircuitName = string;
export type CircuitStateName = 'closed' | 'open' | 'half_open';

export type Circuit = { name: CircuitName; state(): CircuitStateName };

const STATES: Record<CircuitState, CircuitStateName> = {
  [CircuitState.Closed]: 'closed',
  [CircuitState.Open]: 'open',
  [CircuitState.HalfOpen]: 'half_open',
  [CircuitState.Isolated]: 'open',
};

/** Puts knex's connection acquisition behind a breaker. Returns the breaker's state for /readyz and /metrics. */
export function guardWithCircuit(name: CircuitName, knex: Knex, onChange?: (state: CircuitStateName) => void): Circuit {
  const client = knex.client as { acquireConnection?(): Promise<unknown> } | undefined;
  if (typeof client?.acquireConnection !== 'function') return { name, state: () => 'closed' }; // a test's fake client
  // a full pool (KnexTimeoutError) is load, not a server gone: the bulkheads answer that
  const serverGone = (error: Error) => isConnectionError(error) && error.name !== 'KnexTimeoutError';
  const breaker: CircuitBreakerPolicy = circuitBreaker(handleWhen(serverGone), {
    halfOpenAfter: HALF_OPEN_AFTER_MS,
    breaker: new ConsecutiveBreaker(CONSECUTIVE_FAILURES),
  });
  breaker.onStateChange((state) => onChange?.(STATES[state]));
  // every query, transaction and prepared statement borrows its connection here
  const acquire = client.acquireConnection.bind(client);
  client.acquireConnection = () => breaker.execute(acquire);
  return { name, state: () => STATES[breaker.state] };
}

export const isCircuitOpen = (error: unknown): boolean => error instanceof BrokenCircuitError;
