import type { Knex } from 'knex';
import type { components } from '../../generated/reviews.js';

// the contract's names for what the columns hold (their CHECK constraints say the same)
export type ReviewStatus = components['schemas']['ReviewStatus'];
export type Image = components['schemas']['Image'];

type Review = components['schemas']['Review'];
type ReviewProduct = Review['product'];

/**
 * A review joined with the product and editor fields every representation shows: the contract's
 * fields as stored, its timestamps as pg parses them, its product and editor flattened into columns.
 */
export type ReviewRow = Pick<Review, 'id' | 'slug' | 'status' | 'title' | 'summary' | 'body' | 'pros' | 'cons' | 'verdict_score' | 'images' | 'version'> & {
  created_at: Date;
  updated_at: Date;
  published_at: Date | null;
  editor_id: Review['editor']['id'];
  editor_display_name: Review['editor']['display_name'];
  product_id: ReviewProduct['id'];
  product_type: ReviewProduct['type'];
  product_brand: ReviewProduct['brand'];
  product_model: ReviewProduct['model'];
  product_mount: ReviewProduct['mount'];
};

export type NewReview = Pick<
  ReviewRow,
  'slug' | 'editor_id' | 'product_id' | 'status' | 'title' | 'summary' | 'body' | 'pros' | 'cons' | 'verdict_score' | 'images'
>;

export type ReviewChanges = Partial<Pick<NewReview, 'status' | 'title' | 'summary' | 'body' | 'pros' | 'cons' | 'verdict_score' | 'images'>>;

const REVIEW_COLUMNS = [
  'r.id',
  'r.slug',
  'r.status',
  'r.title',
  'r.summary',
  'r.pros',
  'r.cons',
  'r.verdict_score',
  'r.images',
  'r.version',
  'r.created_at',
  'r.updated_at',
  'r.published_at',
  'r.editor_id',
  'r.product_id',
  'e.display_name as editor_display_name',
  'p.type as product_type',
  'p.brand as product_brand',
  'p.model as product_model',
  'p.mount as product_mount',
];

/** Reviews joined with their editor and product; the body only when the representation shows it. */
export function selectReviews(db: Knex, withBody: boolean) {
  return db('reviews as r')
    .join('editors as e', 'e.id', 'r.editor_id')
    .join('products as p', 'p.id', 'r.product_id')
    .select(withBody ? [...REVIEW_COLUMNS, 'r.body'] : REVIEW_COLUMNS);
}

/** The new review's id, or undefined when its slug is taken. */
export async function insertReview(db: Knex, review: NewReview): Promise<string | undefined> {
  // on conflict rather than catching the unique violation: inside a transaction that error would abort it
  const [row] = await db('reviews')
    .insert({
      ...review,
      pros: JSON.stringify(review.pros),
      cons: JSON.stringify(review.cons),
      images: JSON.stringify(review.images),
      product_label: db.raw(`(select brand || ' ' || model from products where id = ?)`, [review.product_id]),
      published_at: review.status === 'published' ? db.fn.now() : null,
    })
    .onConflict('slug')
    .ignore()
    .returning<{ id: string }[]>('id');
  return row?.id;
}

export async function findReviewById(db: Knex, id: string): Promise<ReviewRow | undefined> {
  return (await selectReviews(db, true).where('r.id', id).first()) as ReviewRow | undefined;
}

export async function listEditorReviews(
  db: Knex,
  editorId: string,
  filter: { status?: ReviewStatus },
  page: { after?: { updatedAt: string; id: string }; limit: number },
): Promise<(ReviewRow & { updated_key: string })[]> {
  const query = selectReviews(db, true)
    .select(db.raw('r.updated_at::text as updated_key'))
    .where('r.editor_id', editorId)
    .orderBy([
      { column: 'r.updated_at', order: 'desc' },
      { column: 'r.id', order: 'desc' },
    ])
    .limit(page.limit);
  if (filter.status) query.where('r.status', filter.status);
  if (page.after) query.whereRaw('(r.updated_at, r.id) < (?::timestamptz, ?::uuid)', [page.after.updatedAt, page.after.id]);
  return query;
}

/** Applies the changes if the stored version is `expectedVersion` (when given); false when nothing matched. */
export async function updateReview(db: Knex, id: string, changes: ReviewChanges, expectedVersion: number | undefined): Promise<boolean> {
  const set: Record<string, unknown> = { updated_at: db.fn.now(), version: db.raw('version + 1') };
  for (const [key, value] of Object.entries(changes)) {
    set[key] = Array.isArray(value) ? JSON.stringify(value) : value;
  }
  if (changes.status === 'published') set.published_at = db.raw('coalesce(published_at, now())');
  if (changes.status === 'draft') set.published_at = null;
  const query = db('reviews').where({ id }).update(set);
  if (expectedVersion !== undefined) query.andWhere({ version: expectedVersion });
  return (await query) === 1;
}

export async function deleteReview(db: Knex, id: string, expectedVersion: number | undefined): Promise<boolean> {
  // returning() rather than the affected-row count: knex-pglite does not report a count for deletes
  const query = db('reviews').where({ id }).delete().returning('id');
  if (expectedVersion !== undefined) query.andWhere({ version: expectedVersion });
  return (await query).length === 1;
}
