import { sendPublicJson } from '../http/caching.js';
import { principalOf } from '../http/auth.js';
import { contentItem, product } from './presenters.js';
import { DEFAULT_LIMIT, type HandlerContext } from './services.js';
import type { Handler, ResponseOf } from './types.js';

export function productHandlers({ services, publicCache }: HandlerContext) {
  const listProducts: Handler<'listProducts'> = async (req, res) => {
    const { type, brand, mount, q, cursor, limit } = req.query;
    const page = await services.products.list({ type, brand, mount, q }, cursor, limit ?? DEFAULT_LIMIT);
    const body: ResponseOf<'listProducts', 200> = { items: page.items.map(product), next_cursor: page.next_cursor };
    sendPublicJson(req, res, body, publicCache);
  };

  const getProduct: Handler<'getProduct'> = async (req, res) => {
    const found = await services.products.get(req.params.productId);
    const body: ResponseOf<'getProduct', 200> = { ...product(found.product), latest_reviews: found.latestReviews.map(contentItem) };
    sendPublicJson(req, res, body, publicCache);
  };

  const createProduct: Handler<'createProduct'> = async (req, res) => {
    const created = await services.products.create(principalOf(req), req.body);
    res.status(201).location(`/v1/products/${created.id}`).json(product(created));
  };

  return { listProducts, getProduct, createProduct };
}
