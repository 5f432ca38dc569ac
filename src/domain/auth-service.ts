import { createHash, randomBytes, randomUUID } from 'node:crypto';
import type { Knex } from 'knex';
import { AppError } from '../errors.js';
import { isUuid } from '../ids.js';
import { findEditorByEmail, findEditorById, type EditorRow } from '../data/editor-repository.js';
import {
  deleteExpiredRefreshTokens,
  findFamilyByTokenHash,
  findRefreshTokenForUpdate,
  insertRefreshToken,
  markRefreshTokenUsed,
  revokeFamily,
} from '../data/refresh-token-repository.js';
import { burnPasswordCheck, verifyPassword, type PasswordHashCost } from './passwords.js';
import { signAccessToken, type AccessTokenSettings } from './access-tokens.js';
import type { Principal } from './principal.js';

export type TokenPair = {
  access_token: string;
  token_type: 'Bearer';
  expires_in: number;
  refresh_token: string;
  refresh_expires_in: number;
};

export type AuthSettings = AccessTokenSettings & { refreshTtlSeconds: number; passwordHashCost: PasswordHashCost };

const invalidCredentials = () => new AppError('invalid_credentials', 401, 'The email or password is wrong.');
const invalidRefreshToken = () => new AppError('invalid_refresh_token', 401, 'The refresh token is invalid, expired or already used; sign in again.');

const hashToken = (token: string) => createHash('sha256').update(token).digest('hex');

/** Expired refresh tokens deleted per sign-in or rotation: a few sign-ins clear a backlog of months, none waits on it. */
const EXPIRED_TOKENS_PER_CALL = 500;

export function createAuthService(db: Knex, settings: AuthSettings) {
  async function issue(conn: Knex, editor: Pick<EditorRow, 'id' | 'role'>, familyId: string): Promise<TokenPair> {
    // 256 random bits: guessing is hopeless, so a fast hash (not argon2) is enough at rest.
    const refreshToken = `rt_${randomBytes(32).toString('base64url')}`;
    await insertRefreshToken(conn, {
      editor_id: editor.id,
      family_id: familyId,
      token_hash: hashToken(refreshToken),
      expires_at: new Date(Date.now() + settings.refreshTtlSeconds * 1000),
    });
    return {
      access_token: signAccessToken(settings, editor),
      token_type: 'Bearer',
      expires_in: settings.ttlSeconds,
      refresh_token: refreshToken,
      refresh_expires_in: settings.refreshTtlSeconds,
    };
  }

  // Housekeeping while a sign-in or a rotation is here anyway, as idempotency keys are kept small. A
  // row stays a refresh lifetime past its expiry, so a rotated token stolen and replayed in that time
  // still revokes its whole sign-in; after that it is only unknown, as any expired token is. A failure
  // is ignored: the next call tries again, and a refresh must not fail after its rotation committed
  // (the client would keep the spent token, and its replay would end the sign-in).
  const forgetExpiredTokens = () => deleteExpiredRefreshTokens(db, settings.refreshTtlSeconds, EXPIRED_TOKENS_PER_CALL).catch(() => 0);

  return {
    async login(email: string, password: string): Promise<TokenPair> {
      const editor = await findEditorByEmail(db, email);
      if (!editor) {
        await burnPasswordCheck(password, settings.passwordHashCost);
        throw invalidCredentials();
      }
      const passwordOk = await verifyPassword(editor.password_hash, password);
      // A disabled account fails exactly like a wrong password: no account enumeration.
      if (!passwordOk || editor.status !== 'active') throw invalidCredentials();
      await forgetExpiredTokens();
      return issue(db, editor, randomUUID());
    },

    async refresh(refreshToken: string): Promise<TokenPair> {
      const outcome = await db.transaction(async (trx) => {
        const row = await findRefreshTokenForUpdate(trx, hashToken(refreshToken));
        if (!row) return { kind: 'invalid' as const };
        if (row.used_at || row.revoked_at) {
          // Replay of a rotated token: someone else may hold the family. Revoke all of it.
          await revokeFamily(trx, row.family_id);
          return { kind: 'invalid' as const };
        }
        if (row.expires_at.getTime() <= Date.now()) return { kind: 'invalid' as const };
        const editor = await findEditorById(trx, row.editor_id);
        if (!editor || editor.status !== 'active') return { kind: 'invalid' as const };
        await markRefreshTokenUsed(trx, row.id);
        return { kind: 'ok' as const, tokens: await issue(trx, editor, row.family_id) };
      });
      if (outcome.kind !== 'ok') throw invalidRefreshToken();
      await forgetExpiredTokens();
      return outcome.tokens;
    },

    async logout(refreshToken: string): Promise<void> {
      const familyId = await findFamilyByTokenHash(db, hashToken(refreshToken));
      if (familyId) await revokeFamily(db, familyId);
    },

    /** The caller behind a verified token's subject, or undefined when the account is gone or disabled. */
    async principalFor(editorId: string): Promise<Principal | undefined> {
      if (!isUuid(editorId)) return undefined; // a forged subject is a bad token, not a failed query
      const editor = await findEditorById(db, editorId);
      if (!editor || editor.status !== 'active') return undefined;
      return { id: editor.id, role: editor.role, displayName: editor.display_name, mustChangePassword: editor.must_change_password };
    },

    /**
     * The caller behind an external identity provider's verified email: an existing, active editor.
     * The provider authenticated them, so the initial password an admin set does not gate them.
     */
    async principalForEmail(email: string): Promise<Principal | undefined> {
      const editor = await findEditorByEmail(db, email);
      if (!editor || editor.status !== 'active') return undefined;
      return { id: editor.id, role: editor.role, displayName: editor.display_name, mustChangePassword: false };
    },
  };
}

export type AuthService = ReturnType<typeof createAuthService>;
