import { contentItem, product, publishedReview } from './presenters.js';
import { DEFAULT_LIMIT, type Services } from './services.js';
import type { PublicReadId } from './public-read-ids.js';
import type { PathOf, QueryOf, ResponseOf } from './types.js';

// The public read operations as functions of their validated inputs alone. The Express handlers
// and the public read lane (src/http/public-reads/lane.ts) both answer through these, so the two
// paths cannot drift apart on what a read returns; and a function that holds no request can be
// kept by the response cache to refresh its entry later.

export { isPublicReadId, PUBLIC_READ_IDS, type PublicReadId } from './public-read-ids.js';

export type PublicReadInput<O extends PublicReadId> = { query: QueryOf<O>; path: PathOf<O> };
export type PublicReads = { [O in PublicReadId]: (input: PublicReadInput<O>) => Promise<ResponseOf<O, 200>> };

export function publicReads(services: Services): PublicReads {
  return {
    async listContent({ query: q }) {
      const filter = {
        q: q.q,
        type: q.type,
        brand: q.brand,
        mount: q.mount,
        editorId: q.editor,
        verdictMin: q.verdict_min,
        verdictMax: q.verdict_max,
      };
      const page = await services.content.list(filter, q.sort ?? 'newest', q.cursor, q.limit ?? DEFAULT_LIMIT);
      return { items: page.items.map(contentItem), next_cursor: page.next_cursor };
    },

    async getContent({ path }) {
      return publishedReview(await services.content.get(path.idOrSlug));
    },

    async compareContent({ query }) {
      const comparison = await services.content.compare(query.ids);
      return {
        reviews: comparison.reviews.map((r) => Object.assign(contentItem(r), { pros: r.pros, cons: r.cons })),
        specs: comparison.specs,
      };
    },

    async listProducts({ query: { type, brand, mount, q, cursor, limit } }) {
      const page = await services.products.list({ type, brand, mount, q }, cursor, limit ?? DEFAULT_LIMIT);
      return { items: page.items.map(product), next_cursor: page.next_cursor };
    },

    async getProduct({ path }) {
      const found = await services.products.get(path.productId);
      return Object.assign(product(found.product), { latest_reviews: found.latestReviews.map(contentItem) });
    },
  };
}
