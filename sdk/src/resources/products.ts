import type { ApiPromise } from '../api-promise.js';
import type { Http } from '../internal/http.js';
import type { RequestOptions } from '../internal/transport.js';
import { atCursor, Paginated } from '../pagination.js';
import type { ListProductsQuery, Product, ProductCreate, ProductDetail, ProductPage } from '../types.js';

/** The catalog of cameras and lenses: public reads, editor-only additions. */
export function productsResource(http: Http) {
  return {
    /** Ordered by brand, then model. */
    list(query: ListProductsQuery = {}, options?: RequestOptions): Paginated<Product, ProductPage> {
      return new Paginated(
        (cursor) => http.call((fetch) => http.api.GET('/products', { params: { query: atCursor(query, cursor) }, fetch }), false, options),
        query.cursor,
      );
    },

    /** With its latest published reviews. */
    get(productId: string, options?: RequestOptions): ApiPromise<ProductDetail> {
      return http.call((fetch) => http.api.GET('/products/{productId}', { params: { path: { productId } }, fetch }), false, options);
    },

    /** Editors add a missing product; brand + model is unique (409 `already_exists`). */
    create(product: ProductCreate, options?: RequestOptions): ApiPromise<Product> {
      return http.call((fetch) => http.api.POST('/products', { body: product, fetch }), true, options);
    },
  };
}
