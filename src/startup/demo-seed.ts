import { randomBytes } from 'node:crypto';
import type { Knex } from 'knex';
import { hashPassword } from '../domain/passwords.js';
import { slugify } from '../domain/slug.js';
import { DEMO_EDITORS, DEMO_PRODUCTS, DEMO_REVIEWS } from './demo-seed-content.js';

/**
 * Seeds the demo catalog into an empty database, in one transaction, through the same tables
 * and constraints as real data. Returns what it seeded, or undefined when the catalog was not empty.
 */
export async function seedDemoContent(db: Knex): Promise<{ products: number; reviews: number } | undefined> {
  return db.transaction(async (trx) => {
    const existing = await trx('products').count<{ n: number }[]>('* as n').first();
    if (Number(existing?.n ?? 0) > 0) return undefined;

    // Demo authors get an unguessable password nobody knows: they own demo reviews, nothing else.
    const passwordHash = await hashPassword(randomBytes(32).toString('base64url'));
    const editorIds = new Map<string, string>();
    for (const e of DEMO_EDITORS) {
      const [row] = await trx('editors')
        .insert({ email: e.email, display_name: e.display_name, password_hash: passwordHash, role: 'editor' })
        .onConflict(trx.raw('(lower(email))'))
        .merge(['display_name'])
        .returning<{ id: string }[]>('id');
      editorIds.set(e.key, (row as { id: string }).id);
    }

    const productIds = new Map<string, string>();
    for (const p of DEMO_PRODUCTS) {
      const [row] = await trx('products')
        .insert({ type: p.type, brand: p.brand, model: p.model, mount: p.mount, released_year: p.released_year, specs: JSON.stringify(p.specs) })
        .returning<{ id: string }[]>('id');
      productIds.set(p.key, (row as { id: string }).id);
    }

    for (const r of DEMO_REVIEWS) {
      const product = DEMO_PRODUCTS.find((p) => p.key === r.product);
      const publishedAt = trx.raw(`now() - make_interval(days => ?)`, [r.days_ago]);
      await trx('reviews').insert({
        slug: slugify(r.title),
        editor_id: editorIds.get(r.editor),
        product_id: productIds.get(r.product),
        status: 'published',
        title: r.title,
        summary: r.summary,
        body: r.body,
        pros: JSON.stringify(r.pros),
        cons: JSON.stringify(r.cons),
        verdict_score: r.verdict_score,
        images: JSON.stringify(r.images),
        product_label: `${product?.brand} ${product?.model}`,
        created_at: publishedAt,
        updated_at: publishedAt,
        published_at: publishedAt,
      });
    }
    return { products: DEMO_PRODUCTS.length, reviews: DEMO_REVIEWS.length };
  });
}
