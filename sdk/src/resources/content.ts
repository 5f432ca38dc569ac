import type { ApiPromise } from '../api-promise.js';
import type { Http } from '../internal/http.js';
import type { RequestOptions } from '../internal/transport.js';
import { atCursor, Paginated } from '../pagination.js';
import type { Comparison, ContentItem, ContentPage, ListContentQuery, PublishedReview } from '../types.js';

/** Published reviews, for anonymous readers (no token is ever sent, so CDNs can cache them). */
export function contentResource(http: Http) {
  return {
    /** Newest first by default; `q` searches title, summary, body, brand and model. */
    list(query: ListContentQuery = {}, options?: RequestOptions): Paginated<ContentItem, ContentPage> {
      return new Paginated(
        (cursor) => http.call((fetch) => http.api.GET('/content', { params: { query: atCursor(query, cursor) }, fetch }), false, options),
        query.cursor,
      );
    },

    /** By id or slug. */
    get(idOrSlug: string, options?: RequestOptions): ApiPromise<PublishedReview> {
      return http.call((fetch) => http.api.GET('/content/{idOrSlug}', { params: { path: { idOrSlug } }, fetch }), false, options);
    },

    /** 2 to 4 reviews (ids or slugs) side by side, their products' specs aligned. */
    compare(ids: string[], options?: RequestOptions): ApiPromise<Comparison> {
      return http.call((fetch) => http.api.GET('/content/compare', { params: { query: { ids } }, fetch }), false, options);
    },
  };
}
