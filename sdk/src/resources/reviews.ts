import type { ApiPromise } from '../api-promise.js';
import { MERGE_PATCH, type Http } from '../internal/http.js';
import { newIdempotencyKey } from '../internal/idempotency-key.js';
import type { RequestOptions } from '../internal/transport.js';
import { atCursor, Paginated } from '../pagination.js';
import type { ListMyReviewsQuery, Review, ReviewCreate, ReviewPage, ReviewPatch } from '../types.js';

export type CreateReviewOptions = RequestOptions & {
  /** Reuse the key of an attempt whose outcome you do not know; a fresh one is generated otherwise. */
  idempotencyKey?: string | undefined;
};
/** Options of an edit, which always names the version it edits. */
export type ConditionalOptions = RequestOptions & {
  /**
   * The `etag` of what you read (`const { data, etag } = await client.reviews.get(id).withResponse()`):
   * the edit fails with PreconditionFailedError (412) if it changed since. `'*'` overwrites
   * whatever is stored, on purpose.
   */
  ifMatch: string;
};

/** The signed-in editor's own reviews, drafts included (admins: any review). */
export function reviewsResource(http: Http) {
  return {
    /** Most recently updated first. */
    list(query: ListMyReviewsQuery = {}, options?: RequestOptions): Paginated<Review, ReviewPage> {
      return new Paginated(
        (cursor) => http.call((fetch) => http.api.GET('/reviews', { params: { query: atCursor(query, cursor) }, fetch }), true, options),
        query.cursor,
      );
    },

    get(reviewId: string, options?: RequestOptions): ApiPromise<Review> {
      return http.call((fetch) => http.api.GET('/reviews/{reviewId}', { params: { path: { reviewId } }, fetch }), true, options);
    },

    /**
     * A draft unless `status: 'published'`. Sent with an `Idempotency-Key`, the same one on every
     * retry: the API answers a repeat with the first answer, so a lost response cannot publish the
     * review twice, and the post is retried like a GET.
     */
    create(review: ReviewCreate, options?: CreateReviewOptions): ApiPromise<Review> {
      const { idempotencyKey = newIdempotencyKey(), ...rest } = options ?? {};
      const header = { 'Idempotency-Key': idempotencyKey };
      return http.call((fetch) => http.api.POST('/reviews', { params: { header }, body: review, fetch }), true, rest);
    },

    /** JSON Merge Patch: members present replace the stored ones; arrays are replaced whole. */
    update(reviewId: string, patch: ReviewPatch, options: ConditionalOptions): ApiPromise<Review> {
      const header = { 'If-Match': options.ifMatch };
      return http.call(
        (fetch) => http.api.PATCH('/reviews/{reviewId}', { params: { path: { reviewId }, header }, body: patch, headers: MERGE_PATCH, fetch }),
        true,
        options,
      );
    },

    delete(reviewId: string, options: ConditionalOptions): ApiPromise<void> {
      const header = { 'If-Match': options.ifMatch };
      return http.call((fetch) => http.api.DELETE('/reviews/{reviewId}', { params: { path: { reviewId }, header }, fetch }), true, options);
    },
  };
}
