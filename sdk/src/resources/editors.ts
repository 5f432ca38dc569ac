import { MERGE_PATCH, type Http } from '../internal/http.js';
import type { RequestOptions } from '../internal/transport.js';
import { Paginated } from '../pagination.js';
import type { Editor, EditorCreate, EditorPage, EditorPatch, ListEditorsQuery } from '../types.js';

/** Editor accounts. Admins only (others get PermissionDeniedError). */
export function editorsResource(http: Http) {
  return {
    /** Oldest first. */
    list(query: ListEditorsQuery = {}, options?: RequestOptions): Paginated<Editor, EditorPage> {
      return new Paginated(
        (cursor) => http.call((fetch) => http.api.GET('/editors', { params: { query: { ...query, cursor } }, fetch }), true, options),
        query.cursor,
      );
    },

    get(editorId: string, options?: RequestOptions) {
      return http.call((fetch) => http.api.GET('/editors/{editorId}', { params: { path: { editorId } }, fetch }), true, options);
    },

    /** The editor must replace `initial_password` at first sign-in. */
    create(editor: EditorCreate, options?: RequestOptions) {
      return http.call((fetch) => http.api.POST('/editors', { body: editor, fetch }), true, options);
    },

    /** Name, role or status (JSON Merge Patch); disabling revokes the account's tokens at once. */
    update(editorId: string, patch: EditorPatch, options?: RequestOptions) {
      return http.call(
        (fetch) => http.api.PATCH('/editors/{editorId}', { params: { path: { editorId } }, body: patch, headers: MERGE_PATCH, fetch }),
        true,
        options,
      );
    },
  };
}
