import type { ApiPromise } from '../api-promise.js';
import { MERGE_PATCH, type Http } from '../internal/http.js';
import type { RequestOptions } from '../internal/transport.js';
import type { ConditionalOptions } from './reviews.js';
import { atCursor, Paginated } from '../pagination.js';
import type { Editor, EditorCreate, EditorPage, EditorPatch, ListEditorsQuery } from '../types.js';

/** Editor accounts. Admins only (others get PermissionDeniedError). */
export function editorsResource(http: Http) {
  return {
    /** Oldest first. */
    list(query: ListEditorsQuery = {}, options?: RequestOptions): Paginated<Editor, EditorPage> {
      return new Paginated(
        (cursor) => http.call((fetch) => http.api.GET('/editors', { params: { query: atCursor(query, cursor) }, fetch }), true, options),
        query.cursor,
      );
    },

    get(editorId: string, options?: RequestOptions): ApiPromise<Editor> {
      return http.call((fetch) => http.api.GET('/editors/{editorId}', { params: { path: { editorId } }, fetch }), true, options);
    },

    /** The editor must replace `initial_password` at first sign-in. */
    create(editor: EditorCreate, options?: RequestOptions): ApiPromise<Editor> {
      return http.call((fetch) => http.api.POST('/editors', { body: editor, fetch }), true, options);
    },

    /**
     * Name, role or status (JSON Merge Patch); disabling revokes the account's tokens at once.
     * `ifMatch` is the `etag` of the account as you read it (`get(id).withResponse()`): the change
     * fails with PreconditionFailedError if someone changed the account since.
     */
    update(editorId: string, patch: EditorPatch, options: ConditionalOptions): ApiPromise<Editor> {
      const header = { 'If-Match': options.ifMatch };
      return http.call(
        (fetch) => http.api.PATCH('/editors/{editorId}', { params: { path: { editorId }, header }, body: patch, headers: MERGE_PATCH, fetch }),
        true,
        options,
      );
    },
  };
}
