import type { Knex } from 'knex';

// Immutable once released: change the schema with a new migration, never by editing this one.
// Plain PostgreSQL 15 SQL, so the embedded database (PGlite) and production run the same DDL.

// One statement per raw call: PGlite runs each as a prepared statement, which allows only one.
const statements = (sql: string) =>
  sql
    .split(/;\s*\n/)
    .map((s) => s.trim())
    .filter(Boolean);

export async function up(knex: Knex): Promise<void> {
  for (const statement of statements(`
    create table editors (
      id uuid primary key default gen_random_uuid(),
      email text not null,
      display_name text not null,
      password_hash text not null,
      role text not null check (role in ('editor', 'admin')),
      status text not null default 'active' check (status in ('active', 'disabled')),
      must_change_password boolean not null default false,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now()
    );
    create unique index editors_email_key on editors (lower(email));
    create index editors_created_at_idx on editors (created_at, id);

    create table products (
      id uuid primary key default gen_random_uuid(),
      type text not null check (type in ('camera', 'lens')),
      brand text not null,
      model text not null,
      mount text,
      released_year integer,
      specs jsonb not null default '{}'::jsonb,
      created_by uuid references editors (id),
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now()
    );
    create unique index products_brand_model_key on products (lower(brand), lower(model));
    create index products_mount_idx on products (lower(mount));

    create table reviews (
      id uuid primary key default gen_random_uuid(),
      slug text not null unique,
      editor_id uuid not null references editors (id),
      product_id uuid not null references products (id),
      status text not null check (status in ('draft', 'published')),
      title text not null,
      summary text not null,
      body text not null,
      pros jsonb not null default '[]'::jsonb,
      cons jsonb not null default '[]'::jsonb,
      verdict_score double precision not null
        check (verdict_score between 0 and 10 and verdict_score * 2 = floor(verdict_score * 2)),
      images jsonb not null default '[]'::jsonb,
      -- brand and model copied from the product so search finds "x-t5" without a join
      product_label text not null,
      version integer not null default 1,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      published_at timestamptz,
      check ((status = 'published') = (published_at is not null)),
      search_vector tsvector generated always as (
        setweight(to_tsvector('english', title), 'A') ||
        setweight(to_tsvector('english', product_label), 'A') ||
        setweight(to_tsvector('english', summary), 'B') ||
        setweight(to_tsvector('english', body), 'C')
      ) stored
    );
    create index reviews_published_idx on reviews (published_at desc, id desc) where status = 'published';
    create index reviews_product_published_idx on reviews (product_id, published_at desc) where status = 'published';
    create index reviews_editor_updated_idx on reviews (editor_id, updated_at desc, id desc);
    create index reviews_search_idx on reviews using gin (search_vector);

    create table refresh_tokens (
      id uuid primary key default gen_random_uuid(),
      editor_id uuid not null references editors (id) on delete cascade,
      family_id uuid not null,
      token_hash text not null unique,
      expires_at timestamptz not null,
      used_at timestamptz,
      revoked_at timestamptz,
      created_at timestamptz not null default now()
    );
    create index refresh_tokens_family_idx on refresh_tokens (family_id);
    create index refresh_tokens_editor_idx on refresh_tokens (editor_id);
  `)) {
    await knex.raw(statement);
  }
}

export async function down(knex: Knex): Promise<void> {
  for (const table of ['refresh_tokens', 'reviews', 'products', 'editors']) await knex.schema.dropTable(table);
}
