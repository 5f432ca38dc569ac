import type { ReviewRow } from '../data/review-repository.js';
import type { RecordedResponse } from '../domain/idempotency.js';
import { reviewEtag } from '../domain/review-service.js';
import { principalOf } from './principal.js';
import { review } from './presenters.js';
import { DEFAULT_LIMIT, type HandlerContext } from './services.js';
import type { Handler, Schemas } from './types.js';

export function reviewHandlers({ services }: HandlerContext) {
  const createReview: Handler<'createReview'> = async (req, res) => {
    const answer = await services.reviews.create(principalOf(req), req.body, created, req.get('idempotency-key'));
    res.status(answer.status).set(answer.headers).json(answer.body);
  };

  const listMyReviews: Handler<'listMyReviews'> = async (req, res) => {
    const { status, cursor, limit } = req.query;
    const page = await services.reviews.listMine(principalOf(req), status, cursor, limit ?? DEFAULT_LIMIT);
    res.json({ items: page.items.map(review), next_cursor: page.next_cursor });
  };

  const getReview: Handler<'getReview'> = async (req, res) => {
    const found = await services.reviews.get(principalOf(req), req.params.reviewId);
    res.set('ETag', reviewEtag(found.version)).json(review(found));
  };

  const updateReview: Handler<'updateReview'> = async (req, res) => {
    const updated = await services.reviews.update(principalOf(req), req.params.reviewId, req.body, req.get('if-match'));
    res.set('ETag', reviewEtag(updated.version)).json(review(updated));
  };

  const deleteReview: Handler<'deleteReview'> = async (req, res) => {
    await services.reviews.remove(principalOf(req), req.params.reviewId, req.get('if-match'));
    res.status(204).end();
  };

  return { createReview, listMyReviews, getReview, updateReview, deleteReview };
}

/** The 201 for a new review: what a repeat under the same Idempotency-Key gets again, word for word. */
const created = (row: ReviewRow): RecordedResponse<Schemas['Review']> => ({
  status: 201,
  headers: { Location: `/v1/reviews/${row.id}`, ETag: reviewEtag(row.version) },
  body: review(row),
});
