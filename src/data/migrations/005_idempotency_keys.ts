import type { Knex } from 'knex';

// Idempotency-Key on POST /v1/reviews (draft-ietf-httpapi-idempotency-key-header): one row per key an
// editor sent within the retention window. The row is claimed ('in_progress') in a statement of its
// own, so a concurrent repeat sees it at once, and completed in the same transaction as the review,
// so a committed review always has its key and a rolled-back one never does.

export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    create table idempotency_keys (
      editor_id uuid not null references editors (id) on delete cascade,
      key text not null check (length(key) between 1 and 255),
      -- sha-256 (hex) of the request body in canonical JSON: a repeat must be the same request
      fingerprint text not null,
      -- the holder of an in-progress claim: only it may complete or release the row
      claim_token uuid not null default gen_random_uuid(),
      status text not null default 'in_progress' check (status in ('in_progress', 'completed')),
      response_status smallint,
      response_headers json,
      -- json, not jsonb: a replay sends the members in the order the first answer did
      response_body json,
      -- when the key was claimed (again, when an expired or abandoned claim was taken over)
      created_at timestamptz not null default now(),
      primary key (editor_id, key),
      check ((status = 'completed') = (response_status is not null))
    )`);
  // expiry deletes by age
  await knex.raw('create index idempotency_keys_created_at_idx on idempotency_keys (created_at)');
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('idempotency_keys');
}
