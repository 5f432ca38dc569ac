import { principalOf } from './principal.js';
import { product } from './presenters.js';
import type { HandlerContext } from './services.js';
import type { Handler } from './types.js';

export function productHandlers({ services }: HandlerContext) {
  const createProduct: Handler<'createProduct'> = async (req, res) => {
    const created = await services.products.create(principalOf(req), req.body);
    res.status(201).location(`/v1/products/${created.id}`).json(product(created));
  };

  return { createProduct };
}
