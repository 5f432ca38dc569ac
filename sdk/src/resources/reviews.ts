import { MERGE_PATCH, type Http } from '../internal/http.js';
import { newIdempotencyKey } from '../internal/idempotency-key.js';
import type { RequestOptions } from '../internal/transport.js';
import { Paginated } from '../pagination.js';
import type { ListMyReviewsQuery, Review, ReviewCreate, ReviewPage, ReviewPatch } from '../types.js';

export type CreateReviewOptions = RequestOptions & {
  /** Reuse the key of an attempt whose outcome you do not know; a fresh one is generated otherwise. */
  idempotencyKey?: string;
};
/** `ifMatch`: the `ETag` you read (`withResponse()`); the call fails with 412 if the review changed since. */
export type ConditionalOptions = RequestOptions & { ifMatch?: string };

/** The signed-in editor's own reviews, drafts included (admins: any review). */
export function reviewsResource(http: Http) {
  return {
    /** Most recently updated first. */
    list(query: ListMyReviewsQuery = {}, options?: RequestOptions): Paginated<Review, ReviewPage> {
      return new Paginated(
        (cursor) => http.call((fetch) => http.api.GET('/reviews', { params: { query: { ...query, cursor } }, fetch }), true, options),
        query.cursor,
      );
    },

    get(reviewId: string, options?: RequestOptions) {
      return http.call((fetch) => http.api.GET('/reviews/{reviewId}', { params: { path: { reviewId } }, fetch }), true, options);
    },

    /**
     * A draft unless `status: 'published'`. Sent with an `Idempotency-Key`, the same one on every
     * retry: the API answers a repeat with the first answer, so a lost response cannot publish the
     * review twice, and the post is retried like a GET.
     */
    create(review: ReviewCreate, options?: CreateReviewOptions) {
      const { idempotencyKey = newIdempotencyKey(), ...rest } = options ?? {};
      const header = { 'Idempotency-Key': idempotencyKey };
      return http.call((fetch) => http.api.POST('/reviews', { params: { header }, body: review, fetch }), true, rest);
    },

    /** JSON Merge Patch: members present replace the stored ones; arrays are replaced whole. */
    update(reviewId: string, patch: ReviewPatch, options?: ConditionalOptions) {
      const header = options?.ifMatch === undefined ? {} : { 'If-Match': options.ifMatch };
      return http.call(
        (fetch) => http.api.PATCH('/reviews/{reviewId}', { params: { path: { reviewId }, header }, body: patch, headers: MERGE_PATCH, fetch }),
        true,
        options,
      );
    },

    delete(reviewId: string, options?: ConditionalOptions) {
      const header = options?.ifMatch === undefined ? {} : { 'If-Match': options.ifMatch };
      return http.call((fetch) => http.api.DELETE('/reviews/{reviewId}', { params: { path: { reviewId }, header }, fetch }), true, options);
    },
  };
}
