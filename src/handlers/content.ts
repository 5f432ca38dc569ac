import { contentItem, publishedReview } from './presenters.js';
import { DEFAULT_LIMIT, type HandlerContext } from './services.js';
import type { Handler, ResponseOf } from './types.js';

// Each handler reads its inputs first: the compute closure must not hold the request (see publicResponder).

export function contentHandlers({ services, respond }: HandlerContext) {
  const listContent: Handler<'listContent'> = (req, res) => {
    const q = req.query;
    const filter = {
      q: q.q,
      type: q.type,
      brand: q.brand,
      mount: q.mount,
      editorId: q.editor,
      verdictMin: q.verdict_min,
      verdictMax: q.verdict_max,
    };
    const sort = q.sort ?? 'newest';
    const { cursor } = q;
    const limit = q.limit ?? DEFAULT_LIMIT;
    return respond(req, res, async (): Promise<ResponseOf<'listContent', 200>> => {
      const page = await services.content.list(filter, sort, cursor, limit);
      return { items: page.items.map(contentItem), next_cursor: page.next_cursor };
    });
  };

  const getContent: Handler<'getContent'> = (req, res) => {
    const { idOrSlug } = req.params;
    return respond(req, res, async (): Promise<ResponseOf<'getContent', 200>> => publishedReview(await services.content.get(idOrSlug)));
  };

  const compareContent: Handler<'compareContent'> = (req, res) => {
    const { ids } = req.query;
    return respond(req, res, async (): Promise<ResponseOf<'compareContent', 200>> => {
      const comparison = await services.content.compare(ids);
      return {
        reviews: comparison.reviews.map((r) => ({ ...contentItem(r), pros: r.pros, cons: r.cons })),
        specs: comparison.specs,
      };
    });
  };

  return { listContent, getContent, compareContent };
}
