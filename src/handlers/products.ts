import { principalOf } from '../http/auth.js';
import { contentItem, product } from './presenters.js';
import { DEFAULT_LIMIT, type HandlerContext } from './services.js';
import type { Handler, ResponseOf } from './types.js';

export function productHandlers({ services, respond }: HandlerContext) {
  const listProducts: Handler<'listProducts'> = (req, res) => {
    const { type, brand, mount, q, cursor, limit } = req.query;
    return respond(req, res, async (): Promise<ResponseOf<'listProducts', 200>> => {
      const page = await services.products.list({ type, brand, mount, q }, cursor, limit ?? DEFAULT_LIMIT);
      return { items: page.items.map(product), next_cursor: page.next_cursor };
    });
  };

  const getProduct: Handler<'getProduct'> = (req, res) => {
    const { productId } = req.params;
    return respond(req, res, async (): Promise<ResponseOf<'getProduct', 200>> => {
      const found = await services.products.get(productId);
      return { ...product(found.product), latest_reviews: found.latestReviews.map(contentItem) };
    });
  };

  const createProduct: Handler<'createProduct'> = async (req, res) => {
    const created = await services.products.create(principalOf(req), req.body);
    res.status(201).location(`/v1/products/${created.id}`).json(product(created));
  };

  return { listProducts, getProduct, createProduct };
}
