import { createHash } from 'node:crypto';
import type { Knex } from 'knex';
import { AppError, notFound } from '../errors.js';
import {
  findEditorByEmail,
  findEditorById,
  insertEditor,
  listEditors,
  lockActiveAdminIds,
  lockEditorById,
  updateEditor,
  type EditorRole,
  type EditorRow,
  type EditorStatus,
} from '../data/editor-repository.js';
import { revokeAllForEditor } from '../data/refresh-token-repository.js';
import type { ContentChanges } from './content-changes.js';
import { decodeCursor } from './cursor.js';
import { toPage } from './page.js';
import { assertPasswordAcceptable } from './password-policy.js';
import { hashPassword, verifyPassword, type PasswordHashCost } from './passwords.js';
import type { Principal } from './principal.js';

export type NewEditorInput = { email: string; display_name: string; role?: EditorRole; initial_password: string };
export type EditorPatchInput = { display_name?: string; role?: EditorRole; status?: EditorStatus };

const LISTING = 'editors';

/**
 * A strong entity tag over what the account's representation shows (editors have no version
 * column): any visible change, `updated_at` included, gives a new tag.
 */
export function editorEtag(row: EditorRow): string {
  const shown = [row.id, row.email, row.display_name, row.role, row.status, row.must_change_password, row.created_at.getTime(), row.updated_at.getTime()];
  return `"e-${createHash('sha256').update(JSON.stringify(shown)).digest('base64url').slice(0, 22)}"`;
}

export function createEditorService(db: Knex, changes: ContentChanges, hashCost: PasswordHashCost = 'production') {
  return {
    async create(input: NewEditorInput, options: { mustChangePassword: boolean } = { mustChangePassword: true }): Promise<EditorRow> {
      assertPasswordAcceptable(input.initial_password, { email: input.email, displayName: input.display_name }, '/body/initial_password');
      const row = await insertEditor(db, {
        email: input.email,
        display_name: input.display_name,
        role: input.role ?? 'editor',
        password_hash: await hashPassword(input.initial_password, hashCost),
        must_change_password: options.mustChangePassword,
      });
      if (!row) throw new AppError('already_exists', 409, 'An editor with this email already exists.');
      return row;
    },

    /** Creates the admin unless the email exists; safe to call at every start. */
    async ensureAdmin(email: string, password: string): Promise<{ created: boolean }> {
      if (await findEditorByEmail(db, email)) return { created: false };
      try {
        await this.create({ email, display_name: 'Administrator', role: 'admin', initial_password: password }, { mustChangePassword: false });
        return { created: true };
      } catch (error) {
        // another instance starting at the same moment created it first
        if (error instanceof AppError && error.code === 'already_exists') return { created: false };
        throw error;
      }
    },

    /**
     * Makes the account exist with exactly this password, usable at once (no forced change): for
     * demo accounts, whose printed password must always work. Returns what it had to do.
     */
    async ensureWithPassword(input: NewEditorInput): Promise<'created' | 'unchanged' | 'reset'> {
      const existing = await findEditorByEmail(db, input.email);
      if (!existing) {
        try {
          await this.create(input, { mustChangePassword: false });
          return 'created';
        } catch (error) {
          // another instance starting at the same moment created it first
          if (error instanceof AppError && error.code === 'already_exists') return this.ensureWithPassword(input);
          throw error;
        }
      }
      if (!existing.must_change_password && (await verifyPassword(existing.password_hash, input.initial_password))) return 'unchanged';
      await updateEditor(db, existing.id, { password_hash: await hashPassword(input.initial_password, hashCost), must_change_password: false });
      return 'reset';
    },

    async list(filter: { role?: EditorRole; status?: EditorStatus }, cursor: string | undefined, limit: number) {
      const after = cursor ? decodeCursor(LISTING, cursor, ['timestamp', 'uuid']) : undefined;
      const rows = await listEditors(db, filter, {
        after: after ? { createdAt: String(after[0]), id: String(after[1]) } : undefined,
        limit: limit + 1,
      });
      return toPage(rows, limit, LISTING, (r) => [r.created_at_key, r.id]);
    },

    async get(id: string): Promise<EditorRow> {
      const row = await findEditorById(db, id);
      if (!row) throw notFound('editor');
      return row;
    },

    /** `ifMatch`: the ETag the admin read, or `*` to change whatever is stored. */
    async update(id: string, patch: EditorPatchInput, ifMatch: string): Promise<EditorRow> {
      const updated = await db.transaction(async (trx) => {
        const activeAdmins = await lockActiveAdminIds(trx);
        const current = await lockEditorById(trx, id);
        if (!current) throw notFound('editor');
        if (ifMatch.trim() !== '*' && ifMatch.trim() !== editorEtag(current)) {
          throw new AppError('precondition_failed', 412, 'The account changed since you read it; get it again and retry.');
        }
        const losesAdmin = activeAdmins.includes(id) && (patch.role === 'editor' || patch.status === 'disabled');
        if (losesAdmin && activeAdmins.length === 1) {
          throw new AppError('last_admin', 409, 'This is the last active admin; make another admin first.');
        }
        const updated = await updateEditor(trx, id, {
          ...(patch.display_name !== undefined && { display_name: patch.display_name }),
          ...(patch.role !== undefined && { role: patch.role }),
          ...(patch.status !== undefined && { status: patch.status }),
        });
        if (patch.status === 'disabled') await revokeAllForEditor(trx, id);
        return { before: current, after: updated as EditorRow };
      });
      // reviews show their editor's name
      if (updated.before.display_name !== updated.after.display_name) await changes.published();
      return updated.after;
    },

    async changeOwnPassword(principal: Principal, currentPassword: string, newPassword: string): Promise<void> {
      const editor = await findEditorById(db, principal.id);
      if (!editor || !(await verifyPassword(editor.password_hash, currentPassword))) {
        throw new AppError('wrong_password', 422, 'The current password is wrong.', {
          errors: [{ path: '/body/current_password', message: 'does not match', code: 'wrong_password' }],
        });
      }
      if (currentPassword === newPassword) {
        throw new AppError('password_unchanged', 422, 'The new password must differ from the current one.', {
          errors: [{ path: '/body/new_password', message: 'same as the current password', code: 'password_unchanged' }],
        });
      }
      assertPasswordAcceptable(newPassword, { email: editor.email, displayName: editor.display_name }, '/body/new_password');
      const passwordHash = await hashPassword(newPassword, hashCost);
      await db.transaction(async (trx) => {
        await updateEditor(trx, principal.id, { password_hash: passwordHash, must_change_password: false });
        await revokeAllForEditor(trx, principal.id);
      });
    },
  };
}

export type EditorService = ReturnType<typeof createEditorService>;
