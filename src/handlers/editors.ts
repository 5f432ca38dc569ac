import { editor } from './presenters.js';
import { DEFAULT_LIMIT, type HandlerContext } from './services.js';
import type { Handler } from './types.js';

export function editorHandlers({ services }: HandlerContext) {
  const createEditor: Handler<'createEditor'> = async (req, res) => {
    const created = await services.editors.create(req.body);
    res.status(201).location(`/v1/editors/${created.id}`).json(editor(created));
  };

  const listEditors: Handler<'listEditors'> = async (req, res) => {
    const { role, status, cursor, limit } = req.query;
    const page = await services.editors.list({ role, status }, cursor, limit ?? DEFAULT_LIMIT);
    res.json({ items: page.items.map(editor), next_cursor: page.next_cursor });
  };

  const getEditor: Handler<'getEditor'> = async (req, res) => {
    res.json(editor(await services.editors.get(req.params.editorId)));
  };

  const updateEditor: Handler<'updateEditor'> = async (req, res) => {
    res.json(editor(await services.editors.update(req.params.editorId, req.body)));
  };

  return { createEditor, listEditors, getEditor, updateEditor };
}
