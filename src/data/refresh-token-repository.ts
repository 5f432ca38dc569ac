import type { Knex } from 'knex';

export type RefreshTokenRow = {
  id: string;
  editor_id: string;
  family_id: string;
  token_hash: string;
  expires_at: Date;
  used_at: Date | null;
  revoked_at: Date | null;
  created_at: Date;
};

const table = (db: Knex) => db<RefreshTokenRow>('refresh_tokens');

export async function insertRefreshToken(db: Knex, token: Pick<RefreshTokenRow, 'editor_id' | 'family_id' | 'token_hash' | 'expires_at'>): Promise<void> {
  await table(db).insert(token);
}

/** The token row, locked so two concurrent refreshes with the same token cannot both rotate it. */
export async function findRefreshTokenForUpdate(trx: Knex.Transaction, tokenHash: string): Promise<RefreshTokenRow | undefined> {
  return table(trx).where({ token_hash: tokenHash }).forUpdate().first();
}

export async function markRefreshTokenUsed(db: Knex, id: string): Promise<void> {
  await db('refresh_tokens').where({ id }).update({ used_at: db.fn.now() });
}

export async function revokeFamily(db: Knex, familyId: string): Promise<void> {
  await db('refresh_tokens').where({ family_id: familyId }).whereNull('revoked_at').update({ revoked_at: db.fn.now() });
}

export async function revokeAllForEditor(db: Knex, editorId: string): Promise<void> {
  await db('refresh_tokens').where({ editor_id: editorId }).whereNull('revoked_at').update({ revoked_at: db.fn.now() });
}

/**
 * Deletes up to `batch` rows that expired more than `keptForSeconds` ago, oldest first. Bounded so that
 * the first call on a table that grew for months cannot hold a sign-in up; each later one takes the
 * next batch. Returns how many went.
 */
export async function deleteExpiredRefreshTokens(db: Knex, keptForSeconds: number, batch: number): Promise<number> {
  const expired = table(db).select('id').whereRaw('expires_at < now() - make_interval(secs => ?)', [keptForSeconds]).orderBy('expires_at').limit(batch);
  return table(db).whereIn('id', expired).delete();
}

export async function findFamilyByTokenHash(db: Knex, tokenHash: string): Promise<string | undefined> {
  const row = await table(db).select('family_id').where({ token_hash: tokenHash }).first();
  return row?.family_id;
}
