import type { Knex } from 'knex';

// Listing reviews of a kind of product (type, brand, mount) in an order. Resolved through the
// products table, each such read either walked the order's index testing every review's product
// (seconds when the filter matches few) or gathered all the matching reviews and sorted them
// (320 ms for one brand's cameras at 1M reviews). Each review now carries its product's type,
// brand, model and mount, kept by triggers (the products table stays their source), so a filter
// is one index range already in the order asked: newest/oldest or verdict.
// The reads also stop joining the products table, ~15 µs per listed review here.

// one statement per line ending in ';' (function bodies are written on one line)
const statements = (sql: string) =>
  sql
    .split(/;\s*\n/)
    .map((s) => s.trim())
    .filter(Boolean);

export async function up(knex: Knex): Promise<void> {
  // Index builds on a full table outlast the pool's 5 s statement timeout; this transaction only.
  await knex.raw('set local statement_timeout = 0');
  for (const statement of statements(`
    alter table reviews add column product_type text, add column product_brand text, add column product_model text, add column product_mount text;

    create function reviews_copy_product() returns trigger language plpgsql as $$ begin select p.type, p.brand, p.model, p.mount into new.product_type, new.product_brand, new.product_model, new.product_mount from products p where p.id = new.product_id; return new; end $$;
    create trigger reviews_product_copied before insert or update of product_id on reviews for each row
      execute function reviews_copy_product();

    create function products_copy_to_reviews() returns trigger language plpgsql as $$ begin update reviews set product_type = new.type, product_brand = new.brand, product_model = new.model, product_mount = new.mount where product_id = new.id; return null; end $$;
    create trigger products_copied_to_reviews after update of type, brand, model, mount on products for each row
      when ((old.type, old.brand, old.model, old.mount) is distinct from (new.type, new.brand, new.model, new.mount))
      execute function products_copy_to_reviews();

    -- the copy of what is already there changes nothing a reader sees: no notification per row
    alter table reviews disable trigger reviews_published_updated;
    update reviews r set product_type = p.type, product_brand = p.brand, product_model = p.model, product_mount = p.mount
      from products p where p.id = r.product_id;
    alter table reviews enable trigger reviews_published_updated;
    alter table reviews alter column product_type set not null, alter column product_brand set not null, alter column product_model set not null;

    create index reviews_type_published_idx on reviews (product_type, published_at desc, id desc) where status = 'published';
    create index reviews_brand_published_idx on reviews (lower(product_brand), published_at desc, id desc) where status = 'published';
    create index reviews_mount_published_idx on reviews (lower(product_mount), published_at desc, id desc) where status = 'published';
    create index reviews_type_verdict_idx on reviews (product_type, verdict_score desc, published_at desc, id desc) where status = 'published';
    create index reviews_brand_verdict_idx on reviews (lower(product_brand), verdict_score desc, published_at desc, id desc) where status = 'published';
    create index reviews_mount_verdict_idx on reviews (lower(product_mount), verdict_score desc, published_at desc, id desc) where status = 'published';
    create index reviews_editor_verdict_idx on reviews (editor_id, verdict_score desc, published_at desc, id desc) where status = 'published';
    analyze reviews;
  `)) {
    await knex.raw(statement);
  }
}

export async function down(knex: Knex): Promise<void> {
  for (const statement of statements(`
    drop index reviews_editor_verdict_idx;
    drop index reviews_mount_verdict_idx;
    drop index reviews_brand_verdict_idx;
    drop index reviews_type_verdict_idx;
    drop index reviews_mount_published_idx;
    drop index reviews_brand_published_idx;
    drop index reviews_type_published_idx;
    drop trigger products_copied_to_reviews on products;
    drop function products_copy_to_reviews();
    drop trigger reviews_product_copied on reviews;
    drop function reviews_copy_product();
    alter table reviews drop column product_mount, drop column product_model, drop column product_brand, drop column product_type;
  `)) {
    await knex.raw(statement);
  }
}
