import { authHandlers } from './auth.js';
import { contentHandlers } from './content.js';
import { editorHandlers } from './editors.js';
import { productHandlers } from './products.js';
import { reviewHandlers } from './reviews.js';
import type { HandlerContext } from './services.js';
import type { HandlerMap } from './types.js';

/** One handler per operationId of the contract; the HandlerMap type makes a missing one a compile error. */
export function createHandlers(context: HandlerContext): HandlerMap {
  return {
    ...contentHandlers(context),
    ...productHandlers(context),
    ...authHandlers(context),
    ...reviewHandlers(context),
    ...editorHandlers(context),
  };
}
