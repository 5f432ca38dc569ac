import type { components } from '../../generated/reviews.js';
import type { ReplicaStatus } from '../data/read-pool.js';

type Health = components['schemas']['Health'];

/**
 * Ready means this instance can answer public reads: the primary answers, or a healthy replica
 * does. Readers come first: while the primary is down every instance is in the same state, and a
 * balancer (or a Kubernetes Service) that took them all out would fail every read the replicas
 * and kept copies could still answer. Writes meanwhile answer 503 with Retry-After themselves.
 */
export function readiness(primaryAnswers: boolean, replicas: ReplicaStatus[]): Health {
  const database = primaryAnswers ? 'ok' : 'unavailable';
  const checks: Record<string, 'ok' | 'unavailable'> = { database };
  if (replicas.length > 0) checks.replicas = replicas.some((r) => r.healthy) ? 'ok' : 'unavailable';
  const ready = primaryAnswers || checks.replicas === 'ok';
  return { status: ready ? 'ok' : 'unavailable', checks };
}
