import { editorEtag } from '../domain/editor-service.js';
import { editor } from './presenters.js';
import { DEFAULT_LIMIT, type HandlerContext } from './services.js';
import type { Handler } from './types.js';

export function editorHandlers({ services }: HandlerContext) {
  const createEditor: Handler<'createEditor'> = async (req, res) => {
    const created = await services.editors.create(req.body);
    res.status(201).location(`/v1/editors/${created.id}`).set('ETag', editorEtag(created)).json(editor(created));
  };

  const listEditors: Handler<'listEditors'> = async (req, res) => {
    const { role, status, cursor, limit } = req.query;
    const page = await services.editors.list({ role, status }, cursor, limit ?? DEFAULT_LIMIT);
    res.json({ items: page.items.map(editor), next_cursor: page.next_cursor });
  };

  const getEditor: Handler<'getEditor'> = async (req, res) => {
    const found = await services.editors.get(req.params.editorId);
    res.set('ETag', editorEtag(found)).json(editor(found));
  };

  const updateEditor: Handler<'updateEditor'> = async (req, res) => {
    // the contract requires If-Match (src/http/preconditions.ts answers 428 before we get here)
    const updated = await services.editors.update(req.params.editorId, req.body, req.get('if-match') ?? '');
    res.set('ETag', editorEtag(updated)).json(editor(updated));
  };

  return { createEditor, listEditors, getEditor, updateEditor };
}
