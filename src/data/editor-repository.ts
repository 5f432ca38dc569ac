import type { Knex } from 'knex';
import type { components } from '../../generated/reviews.js';

// the contract's names for what the columns hold (their CHECK constraints say the same)
export type EditorRole = components['schemas']['EditorRole'];
export type EditorStatus = components['schemas']['EditorStatus'];

/** The contract's editor as stored: with its password hash, its timestamps as pg parses them. */
export type EditorRow = Omit<components['schemas']['Editor'], 'created_at' | 'updated_at'> & {
  password_hash: string;
  created_at: Date;
  updated_at: Date;
};

export type NewEditor = Pick<EditorRow, 'email' | 'display_name' | 'password_hash' | 'role' | 'must_change_password'>;
export type EditorChanges = Partial<Pick<EditorRow, 'display_name' | 'role' | 'status' | 'password_hash' | 'must_change_password'>>;

const table = (db: Knex) => db<EditorRow>('editors');

export async function findEditorById(db: Knex, id: string): Promise<EditorRow | undefined> {
  return table(db).where({ id }).first();
}

export async function findEditorByEmail(db: Knex, email: string): Promise<EditorRow | undefined> {
  return table(db).whereRaw('lower(email) = lower(?)', [email]).first();
}

/** Inserts, or returns undefined when the email is taken (by anyone, in any case). */
export async function insertEditor(db: Knex, editor: NewEditor): Promise<EditorRow | undefined> {
  const rows = await db.raw<{ rows: EditorRow[] }>(
    `insert into editors (email, display_name, password_hash, role, must_change_password)
     values (?, ?, ?, ?, ?)
     on conflict ((lower(email))) do nothing
     returning *`,
    [editor.email, editor.display_name, editor.password_hash, editor.role, editor.must_change_password],
  );
  return rows.rows[0];
}

export async function updateEditor(db: Knex, id: string, changes: EditorChanges): Promise<EditorRow | undefined> {
  const [row] = await db('editors')
    .where({ id })
    .update({ ...changes, updated_at: db.fn.now() })
    .returning<EditorRow[]>('*');
  return row;
}

export async function listEditors(
  db: Knex,
  filter: { role?: EditorRole; status?: EditorStatus },
  page: { after?: { createdAt: string; id: string }; limit: number },
): Promise<(EditorRow & { created_at_key: string })[]> {
  const query = table(db)
    .select('*', db.raw('created_at::text as created_at_key'))
    .orderBy([{ column: 'created_at' }, { column: 'id' }])
    .limit(page.limit);
  if (filter.role) query.where('role', filter.role);
  if (filter.status) query.where('status', filter.status);
  if (page.after) query.whereRaw('(created_at, id) > (?::timestamptz, ?::uuid)', [page.after.createdAt, page.after.id]);
  return (await query) as (EditorRow & { created_at_key: string })[];
}

/** The row, locked until the transaction ends: a conditional change compares and writes one version. */
export async function lockEditorById(trx: Knex.Transaction, id: string): Promise<EditorRow | undefined> {
  return table(trx).where({ id }).forUpdate().first();
}

/** Locks the active admins' rows so two concurrent demotions cannot both pass the last-admin check. */
export async function lockActiveAdminIds(trx: Knex.Transaction): Promise<string[]> {
  const rows = await table(trx).select('id').where({ role: 'admin', status: 'active' }).forUpdate();
  return rows.map((r) => r.id);
}
