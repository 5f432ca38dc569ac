import { sendPublicJson } from '../http/caching.js';
import { contentItem, publishedReview } from './presenters.js';
import { DEFAULT_LIMIT, type HandlerContext } from './services.js';
import type { Handler, ResponseOf } from './types.js';

export function contentHandlers({ services, publicCache }: HandlerContext) {
  const listContent: Handler<'listContent'> = async (req, res) => {
    const q = req.query;
    const page = await services.content.list(
      {
        q: q.q,
        type: q.type,
        brand: q.brand,
        mount: q.mount,
        editorId: q.editor,
        verdictMin: q.verdict_min,
        verdictMax: q.verdict_max,
      },
      q.sort ?? 'newest',
      q.cursor,
      q.limit ?? DEFAULT_LIMIT,
    );
    const body: ResponseOf<'listContent', 200> = { items: page.items.map(contentItem), next_cursor: page.next_cursor };
    sendPublicJson(req, res, body, publicCache);
  };

  const getContent: Handler<'getContent'> = async (req, res) => {
    const body: ResponseOf<'getContent', 200> = publishedReview(await services.content.get(req.params.idOrSlug));
    sendPublicJson(req, res, body, publicCache);
  };

  const compareContent: Handler<'compareContent'> = async (req, res) => {
    const comparison = await services.content.compare(req.query.ids);
    const body: ResponseOf<'compareContent', 200> = {
      reviews: comparison.reviews.map((r) => ({ ...contentItem(r), pros: r.pros, cons: r.cons })),
      specs: comparison.specs,
    };
    sendPublicJson(req, res, body, publicCache);
  };

  return { listContent, getContent, compareContent };
}
