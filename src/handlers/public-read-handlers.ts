import type { PublicReadId, PublicReadInput, PublicReads } from './public-reads.js';
import type { HandlerContext } from './services.js';
import type { Handler, HandlerMap } from './types.js';

/** The public reads behind Express: the same functions the public read lane calls, answered through the response cache. */
export function publicReadHandlers({ reads, respond }: HandlerContext & { reads: PublicReads }): Pick<HandlerMap, PublicReadId> {
  const handler =
    <O extends PublicReadId>(id: O): Handler<O> =>
    (req, res) => {
      // copied first: the compute closure must not hold the request (see publicResponder)
      const input = { query: { ...req.query }, path: { ...req.params } } as PublicReadInput<O>;
      return respond(req, res, id, () => reads[id](input));
    };
  return {
    listContent: handler('listContent'),
    compareContent: handler('compareContent'),
    getContent: handler('getContent'),
    listProducts: handler('listProducts'),
    getProduct: handler('getProduct'),
  };
}
