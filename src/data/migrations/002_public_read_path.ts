import type { Knex } from 'knex';

// The public read path at scale: indexes for the remaining orders and filters, and change
// notifications so every instance's response cache drops what a commit made stale.

const statements = (sql: string) =>
  sql
    .split(/;\s*\n/)
    .map((s) => s.trim())
    .filter(Boolean);

export async function up(knex: Knex): Promise<void> {
  // Index builds on a full table outlast the pool's 5 s statement timeout; this transaction only.
  // (Writes wait for the builds, seconds at 1M reviews; editors are few and rarely mid-save.)
  await knex.raw('set local statement_timeout = 0');
  for (const statement of statements(`
    -- Search filters read search_vector on every row they test: keep it in the row (compressed if
    -- need be) and let the body, read one review at a time, be the column moved out of line.
    alter table reviews alter column search_vector set storage main;
    create index reviews_verdict_published_idx on reviews (verdict_score desc, published_at desc, id desc) where status = 'published';
    create index reviews_editor_published_idx on reviews (editor_id, published_at desc, id desc) where status = 'published';

    create function notify_content_changed() returns trigger language plpgsql as $$ begin perform pg_notify('content_changed', tg_table_schema); return null; end $$;

    create trigger reviews_published_inserted after insert on reviews for each row
      when (new.status = 'published') execute function notify_content_changed();
    create trigger reviews_published_updated after update on reviews for each row
      when (old.status = 'published' or new.status = 'published') execute function notify_content_changed();
    create trigger reviews_published_deleted after delete on reviews for each row
      when (old.status = 'published') execute function notify_content_changed();
    create trigger products_changed after insert or update or delete on products for each statement
      execute function notify_content_changed();
    create trigger editors_renamed after update of display_name on editors for each row
      when (old.display_name is distinct from new.display_name) execute function notify_content_changed();
  `)) {
    await knex.raw(statement);
  }
}

export async function down(knex: Knex): Promise<void> {
  for (const statement of statements(`
    drop trigger editors_renamed on editors;
    drop trigger products_changed on products;
    drop trigger reviews_published_deleted on reviews;
    drop trigger reviews_published_updated on reviews;
    drop trigger reviews_published_inserted on reviews;
    drop function notify_content_changed();
    drop index reviews_editor_published_idx;
    drop index reviews_verdict_published_idx;
    alter table reviews alter column search_vector set storage extended;
  `)) {
    await knex.raw(statement);
  }
}
