import { authHandlers } from './auth.js';
import { publicReadHandlers } from './public-read-handlers.js';
import { editorHandlers } from './editors.js';
import { productHandlers } from './products.js';
import { reviewHandlers } from './reviews.js';
import type { PublicReads } from './public-reads.js';
import type { HandlerContext } from './services.js';
import type { HandlerMap } from './types.js';

/** One handler per operationId of the contract; the HandlerMap type makes a missing one a compile error. */
export function createHandlers(context: HandlerContext & { reads: PublicReads }): HandlerMap {
  return {
    ...publicReadHandlers(context),
    ...productHandlers(context),
    ...authHandlers(context),
    ...reviewHandlers(context),
    ...editorHandlers(context),
  };
}
