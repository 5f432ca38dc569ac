import type { Knex } from 'knex';

export type IdempotencyKeyId = { editorId: string; key: string };

/** An answer as it is replayed: status, the headers that identify what was created, the JSON body. */
export type RecordedResponse<B = unknown> = { status: number; headers: Record<string, string>; body: B };

export type IdempotencyKeyRow = {
  fingerprint: string;
  status: 'in_progress' | 'completed';
  response_status: number | null;
  response_headers: Record<string, string> | null;
  response_body: unknown;
  /** How long ago the key was claimed, seconds (by the database's clock, as the claim's own hold is). */
  age_seconds: number;
};

/** How long a key lives, and how long an unfinished claim is held before it counts as abandoned. */
export type KeyLifetimes = { retentionSeconds: number; abandonedAfterSeconds: number };

/** Deletes keys past retention; a claim treats them as new anyway, this only keeps the table small. */
export async function deleteExpiredKeys(db: Knex, retentionSeconds: number): Promise<void> {
  await db.raw('delete from idempotency_keys where created_at < now() - make_interval(secs => ?)', [retentionSeconds]);
}

/**
 * Claims the key for one attempt, in one statement: a key never seen, expired, or held by an
 * attempt that never finished is taken; a live key is left alone. The claim's token when taken.
 */
export async function claimKey(db: Knex, id: IdempotencyKeyId, fingerprint: string, lifetimes: KeyLifetimes): Promise<string | undefined> {
  const result = await db.raw<{ rows: { claim_token: string }[] }>(
    `insert into idempotency_keys as k (editor_id, key, fingerprint) values (?, ?, ?)
     on conflict (editor_id, key) do update
       set fingerprint = excluded.fingerprint, claim_token = excluded.claim_token, status = 'in_progress',
           response_status = null, response_headers = null, response_body = null, created_at = now()
       where k.created_at < now() - make_interval(secs => ?)
          or (k.status = 'in_progress' and k.created_at < now() - make_interval(secs => ?))
     returning claim_token`,
    [id.editorId, id.key, fingerprint, lifetimes.retentionSeconds, lifetimes.abandonedAfterSeconds],
  );
  return result.rows[0]?.claim_token;
}

export async function findKey(db: Knex, id: IdempotencyKeyId): Promise<IdempotencyKeyRow | undefined> {
  return db('idempotency_keys')
    .where({ editor_id: id.editorId, key: id.key })
    .first(
      'fingerprint',
      'status',
      'response_status',
      'response_headers',
      'response_body',
      db.raw('extract(epoch from now() - created_at)::float8 as age_seconds'),
    );
}

/** Records the answer on the claim this token holds; false when the claim is no longer its own. */
export async function completeKey(db: Knex, id: IdempotencyKeyId, claimToken: string, response: RecordedResponse): Promise<boolean> {
  const updated = await db('idempotency_keys')
    .where({ editor_id: id.editorId, key: id.key, claim_token: claimToken, status: 'in_progress' })
    .update({
      status: 'completed',
      response_status: response.status,
      response_headers: JSON.stringify(response.headers),
      response_body: JSON.stringify(response.body),
    });
  return updated === 1;
}

/** Frees the key if this token still holds it unfinished; a completed key is never released. */
export async function releaseKey(db: Knex, id: IdempotencyKeyId, claimToken: string): Promise<void> {
  await db('idempotency_keys').where({ editor_id: id.editorId, key: id.key, claim_token: claimToken, status: 'in_progress' }).delete();
}
