import type { Knex } from 'knex';
import type { components } from '../../generated/reviews.js';
import { AppError, notFound } from '../errors.js';
import { findProductById } from '../data/product-repository.js';
import {
  deleteReview,
  findReviewById,
  insertReview,
  listEditorReviews,
  updateReview,
  type NewReview,
  type ReviewChanges,
  type ReviewRow,
  type ReviewStatus,
} from '../data/review-repository.js';
import type { ContentChanges } from './content-changes.js';
import { decodeCursor } from './cursor.js';
import { runOnce, type RecordedResponse } from './idempotency.js';
import { toPage } from './page.js';
import { isAdmin, type Principal } from './principal.js';
import { slugify } from './slug.js';

type ReviewCreate = components['schemas']['ReviewCreate'];
/** The contract's ReviewCreate; the lists the validator defaults to [] may be left out by callers inside the service (the demo seed). */
export type NewReviewInput = Omit<ReviewCreate, 'pros' | 'cons' | 'images'> & Partial<Pick<ReviewCreate, 'pros' | 'cons' | 'images'>>;

const LISTING = 'my-reviews';
const SLUG_ATTEMPTS = 4;

/** `"v3"`: the review's version as a strong entity tag. */
export const reviewEtag = (version: number) => `"v${version}"`;

function versionFromEtag(ifMatch: string): number {
  const match = /^"v(\d{1,9})"$/.exec(ifMatch.trim());
  // An unparseable tag can never match the current one: the precondition fails.
  return match ? Number(match[1]) : -1;
}

export function createReviewService(db: Knex, contentChanges: ContentChanges) {
  /** The review if the principal may manage it; 404 otherwise, so others' drafts stay invisible. */
  async function loadManaged(principal: Principal, id: string): Promise<ReviewRow> {
    const row = await findReviewById(db, id);
    if (!row || (row.editor_id !== principal.id && !isAdmin(principal))) throw notFound('review');
    return row;
  }

  function checkPrecondition(row: ReviewRow, ifMatch: string | undefined): number | undefined {
    if (ifMatch === undefined || ifMatch.trim() === '*') return undefined;
    const expected = versionFromEtag(ifMatch);
    if (expected !== row.version) throw preconditionFailed();
    return expected;
  }

  return {
    /**
     * Writes the review and returns `respond`'s answer for it. With an `idempotencyKey`, once per
     * editor and key: a repeat gets the first answer again (see runOnce).
     */
    async create<B>(
      principal: Principal,
      input: NewReviewInput,
      respond: (created: ReviewRow) => RecordedResponse<B>,
      idempotencyKey?: string,
    ): Promise<RecordedResponse<B>> {
      const write = async (conn: Knex) => respond(await insertNewReview(conn, principal.id, input));
      const { response, replayed } =
        idempotencyKey === undefined
          ? { response: await write(db), replayed: false }
          : await runOnce(db, { editorId: principal.id, key: idempotencyKey }, input, write);
      // a replay changed nothing readers see
      if (!replayed && input.status === 'published') await contentChanges.published();
      return response;
    },

    async listMine(principal: Principal, status: ReviewStatus | undefined, cursor: string | undefined, limit: number) {
      const after = cursor ? decodeCursor(LISTING, cursor, ['timestamp', 'uuid']) : undefined;
      const rows = await listEditorReviews(
        db,
        principal.id,
        { status },
        {
          after: after ? { updatedAt: String(after[0]), id: String(after[1]) } : undefined,
          limit: limit + 1,
        },
      );
      return toPage(rows, limit, LISTING, (r) => [r.updated_key, r.id]);
    },

    get: loadManaged,

    async update(principal: Principal, id: string, changes: ReviewChanges, ifMatch: string | undefined): Promise<ReviewRow> {
      const row = await loadManaged(principal, id);
      const expected = checkPrecondition(row, ifMatch);
      if (!(await updateReview(db, id, changes, expected))) {
        // changed (or deleted) between our read and the conditional update
        if (expected !== undefined) throw preconditionFailed();
        throw notFound('review');
      }
      const updated = (await findReviewById(db, id)) as ReviewRow;
      if (row.status === 'published' || updated?.status === 'published') await contentChanges.published();
      return updated;
    },

    async remove(principal: Principal, id: string, ifMatch: string | undefined): Promise<void> {
      const row = await loadManaged(principal, id);
      const expected = checkPrecondition(row, ifMatch);
      const deleted = await deleteReview(db, id, expected);
      if (!deleted && expected !== undefined) throw preconditionFailed();
      if (deleted && row.status === 'published') await contentChanges.published();
    },
  };
}

async function insertNewReview(db: Knex, editorId: string, input: NewReviewInput): Promise<ReviewRow> {
  if (!(await findProductById(db, input.product_id))) {
    throw new AppError('unknown_product', 422, 'No product with this product_id; see GET /v1/products.', {
      errors: [{ path: '/body/product_id', message: 'unknown product', code: 'unknown_product' }],
    });
  }
  const review: Omit<NewReview, 'slug'> = {
    editor_id: editorId,
    product_id: input.product_id,
    status: input.status ?? 'draft',
    title: input.title,
    summary: input.summary,
    body: input.body,
    pros: input.pros ?? [],
    cons: input.cons ?? [],
    verdict_score: input.verdict_score,
    images: input.images ?? [],
  };
  // a random-suffix slug collision is rare; try another suffix
  for (let attempt = 0; attempt < SLUG_ATTEMPTS; attempt++) {
    const id = await insertReview(db, { ...review, slug: slugify(review.title) });
    if (id) return (await findReviewById(db, id)) as ReviewRow;
  }
  throw new Error(`No free slug for this title after ${SLUG_ATTEMPTS} random suffixes`);
}

const preconditionFailed = () => new AppError('precondition_failed', 412, 'The review changed since you read it; get it again and retry.');

export type ReviewService = ReturnType<typeof createReviewService>;
