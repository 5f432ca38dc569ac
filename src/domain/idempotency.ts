import { createHash } from 'node:crypto';
import type { Knex } from 'knex';
import {
  claimKey,
  completeKey,
  deleteExpiredKeys,
  findKey,
  releaseKey,
  type IdempotencyKeyId,
  type IdempotencyKeyRow,
  type KeyLifetimes,
  type RecordedResponse,
} from '../data/idempotency-repository.js';
import { AppError } from '../errors.js';

// Idempotency-Key (draft-ietf-httpapi-idempotency-key-header): a keyed request does its work once per
// editor and key, and its repeats get the answer it recorded. The key is claimed before the work, so a
// concurrent repeat is refused rather than run twice, and the answer is recorded in the work's own
// transaction, so the key and what it created are committed (or rolled back) together.

export type { IdempotencyKeyId, RecordedResponse } from '../data/idempotency-repository.js';

const LIFETIMES: KeyLifetimes = {
  retentionSeconds: 24 * 60 * 60, // the contract promises 24 hours
  // A write takes well under a second (every statement is capped at 5 s): a claim this old belongs to
  // a server that stopped mid-request, and would otherwise block the editor's retries for a day.
  abandonedAfterSeconds: 60,
};

/** When the hold's end is unknown (a claim taken over, or changing under us): writes take milliseconds. */
const SOON_SECONDS = 1;

/** A live key can vanish between the claim and the read of it (released, expired): claim again, a few times. */
const CLAIM_ATTEMPTS = 3;

/**
 * Runs `work` once for this key: a first request (or one whose key expired or was abandoned) runs it
 * and records its answer; a repeat with the same body gets that answer (`replayed`), one with a
 * different body is 422, one while the first still runs is 409. A failed `work` records nothing and
 * frees the key, so the request can be corrected and sent again with it.
 */
export async function runOnce<B>(
  db: Knex,
  id: IdempotencyKeyId,
  request: unknown,
  work: (trx: Knex.Transaction) => Promise<RecordedResponse<B>>,
): Promise<{ response: RecordedResponse<B>; replayed: boolean }> {
  const fingerprint = fingerprintOf(request);
  for (let attempt = 0; attempt < CLAIM_ATTEMPTS; attempt++) {
    const claimToken = await claimKey(db, id, fingerprint, LIFETIMES);
    if (claimToken) return { response: await runClaimed(db, id, claimToken, work), replayed: false };
    const held = await findKey(db, id);
    if (!held) continue;
    if (held.fingerprint !== fingerprint) throw keyReused();
    // the first attempt answers in milliseconds, or its claim is abandoned when the hold ends: that is when a retry surely gets an answer
    if (held.status === 'in_progress') throw keyInProgress(Math.max(SOON_SECONDS, Math.ceil(LIFETIMES.abandonedAfterSeconds - Number(held.age_seconds))));
    return { response: recorded<B>(held), replayed: true };
  }
  throw keyInProgress(SOON_SECONDS);
}

async function runClaimed<B>(db: Knex, id: IdempotencyKeyId, claimToken: string, work: (trx: Knex.Transaction) => Promise<RecordedResponse<B>>) {
  try {
    // housekeeping only, while a new request is here anyway: a claim takes an expired key over by itself
    await deleteExpiredKeys(db, LIFETIMES.retentionSeconds);
    return await db.transaction(async (trx) => {
      const response = await work(trx);
      // Only an attempt that outlived the abandonment limit loses its claim: the one that took the key
      // over decides the outcome, and this one rolls back.
      if (!(await completeKey(trx, id, claimToken, response))) throw keyInProgress(SOON_SECONDS);
      return response;
    });
  } catch (error) {
    // Nothing of this attempt is committed, or (a commit whose acknowledgement was lost) the key is
    // completed, which a release leaves alone. If the release fails too, the claim is abandoned in 60 s.
    await releaseKey(db, id, claimToken).catch(() => undefined);
    throw error;
  }
}

/** Recorded by the same `work` this caller passes, hence of its type. */
function recorded<B>(row: IdempotencyKeyRow): RecordedResponse<B> {
  return { status: row.response_status as number, headers: row.response_headers ?? {}, body: row.response_body as B };
}

/** sha-256 of the body as canonical JSON: members sorted by name (RFC 8785's order), no spacing. */
export function fingerprintOf(body: unknown): string {
  return createHash('sha256').update(canonicalJson(body)).digest('hex');
}

function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const members = Object.entries(value).filter(([, member]) => member !== undefined);
    members.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${members.map(([name, member]) => `${JSON.stringify(name)}:${canonicalJson(member)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

const keyReused = () =>
  new AppError('idempotency_key_reused', 422, 'This Idempotency-Key was sent with a different body; use a new key for a different request.', {
    errors: [{ path: '/headers/idempotency-key', message: 'already used with a different body', code: 'idempotency_key_reused' }],
  });

/** Retry-After: the time left on the key's hold (an attempt whose server died frees it only then), at least a second. */
const keyInProgress = (retryAfterSeconds: number) =>
  new AppError('idempotency_key_in_progress', 409, 'A request with this Idempotency-Key is still being processed; retry it after Retry-After seconds.', {
    headers: { 'Retry-After': String(retryAfterSeconds) },
  });
