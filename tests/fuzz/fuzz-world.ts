import { randomBytes } from 'node:crypto';
import fc from 'fast-check';
import jwt from 'jsonwebtoken';
import { createEditor, createProduct, PASSWORD, writeReview, type TestEditor } from '../support/fixtures.js';
import type { TestApp } from '../support/test-app.js';

// What the fuzzer runs against: real accounts with real tokens, and real products, reviews and
// editors, so generated path parameters and bodies hit existing resources some of the time.

export type Credential = 'admin' | 'editor' | 'none' | 'garbage' | 'forged' | 'basic';

/** Resolved when the request is sent: the password of the account whose password the fuzzer changes. */
export class CurrentPassword {
  constructor(private readonly holder: { value: string }) {}
  toJSON(): string {
    return this.holder.value;
  }
}

export type OperationPools = {
  /** Real values for path, query and header parameters, by name. */
  parameters?: Record<string, fc.Arbitrary<string>>;
  /** Members laid over a generated body (real ids, real credentials). */
  body?: fc.Arbitrary<Record<string, unknown>>;
  /** Whose token `editor` means for this operation. */
  editorToken?: string;
};

export type World = {
  authorization(credential: Credential, pools: OperationPools): string | undefined;
  pools(operationId: string): OperationPools;
  /** Counts and last changes of the tables named (members of SNAPSHOT_MEMBERS): what a refused write must leave alone. */
  snapshot(members: readonly string[]): Promise<Record<string, unknown>>;
  /** The changed password of the password-change account, once a change succeeded. */
  onPasswordChanged(newPassword: string): void;
};

export async function buildWorld(app: TestApp): Promise<World> {
  const admin = await createEditor(app, 'admin');
  const editor = await createEditor(app);
  const other = await createEditor(app);
  const passwordChanger = await createEditor(app);
  const sessions = await createEditor(app);
  const refreshTokens = [sessions.refreshToken];
  for (let i = 0; i < 15; i++) refreshTokens.push((await signIn(app, sessions)).refreshToken);
  // accounts the fuzzer may rename, demote and disable; never the ones whose tokens it uses
  const expendable = [await createEditor(app), await createEditor(app), await createEditor(app, 'admin')];

  const products = [
    await createProduct(app),
    await createProduct(app, { type: 'lens', mount: 'E', specs: { max_aperture: 1.4, weight_g: 420 } }),
    await createProduct(app, { mount: null, brand: 'Fujifilm' }),
    await createProduct(app, { brand: 'Sony', mount: 'E' }),
  ];
  const productIds = products.map((p) => p.id);
  const pick = (n: number) => productIds[n % productIds.length] as string;
  const published = [];
  for (let i = 0; i < 6; i++) published.push(await writeReview(app, i % 2 ? other : editor, pick(i)));
  const drafts = [];
  for (let i = 0; i < 3; i++) drafts.push(await writeReview(app, editor, pick(i), { status: 'draft' }));
  // deleteReview gets reviews of its own, so the other operations keep theirs
  const deletable = [];
  for (let i = 0; i < 16; i++) deletable.push(await writeReview(app, editor, pick(i), { status: i % 2 ? 'draft' : 'published' }));

  const passwordHolder = { value: passwordChanger.password };
  const allEditors = [admin, editor, other, passwordChanger, sessions, ...expendable];
  const accounts = [
    ...allEditors.map((e) => ({ email: e.email, password: e.password })),
    { email: passwordChanger.email, password: new CurrentPassword(passwordHolder) },
  ];
  const forged = jwt.sign({ sub: admin.id }, randomBytes(32).toString('hex'), { algorithm: 'HS256', expiresIn: 600 });
  const ids = (rows: { id: string }[]) => rows.map((r) => r.id);
  const from = (values: string[]) => fc.constantFrom(...values);
  const ownReviews = [...published.filter((r) => r.editor.id === editor.id), ...drafts];
  const etags = fc.constantFrom('"v1"', '"v2"', '*', 'W/"v1"');

  const pools: Record<string, OperationPools> = {
    listContent: { parameters: { editor: from(ids(allEditors)), brand: from(['Sony', 'fujifilm']), mount: from(['E', 'X']) } },
    compareContent: {
      parameters: { ids: fc.uniqueArray(from([...published.map((r) => r.slug), ...ids(published)]), { minLength: 2, maxLength: 4 }).map((a) => a.join(',')) },
    },
    getContent: { parameters: { idOrSlug: from([...published.map((r) => r.slug), ...ids(published), ...ids(drafts)]) } },
    listProducts: { parameters: { brand: from(['Sony', 'fujifilm']), mount: from(['E', 'X']) } },
    getProduct: { parameters: { productId: from(productIds) } },
    createReview: { body: from(productIds).map((product_id) => ({ product_id })) },
    getReview: { parameters: { reviewId: from([...ids(ownReviews), ...ids(published)]) } },
    updateReview: { parameters: { reviewId: from([...ids(ownReviews), ...ids(published)]), 'If-Match': etags } },
    deleteReview: { parameters: { reviewId: from(ids(deletable)), 'If-Match': etags } },
    getEditor: { parameters: { editorId: from(ids(allEditors)) } },
    // an account's ETag is a digest no generator guesses: '*' reaches the change, anything else 412
    updateEditor: { parameters: { editorId: from(ids(expendable)), 'If-Match': fc.constantFrom('*', '*', '"e-stale"') } },
    listEditors: {},
    login: { body: fc.constantFrom(...accounts).map((a) => ({ ...a })) },
    refreshToken: { body: from(refreshTokens).map((refresh_token) => ({ refresh_token })) },
    logout: { body: from(refreshTokens).map((refresh_token) => ({ refresh_token })) },
    changeOwnPassword: { body: fc.constant({ current_password: new CurrentPassword(passwordHolder) }), editorToken: passwordChanger.token },
  };

  return {
    pools: (operationId) => pools[operationId] ?? {},
    authorization(credential, operationPools) {
      switch (credential) {
        case 'admin':
          return `Bearer ${admin.token}`;
        case 'editor':
          return `Bearer ${operationPools.editorToken ?? editor.token}`;
        case 'garbage':
          return 'Bearer not.a.jwt';
        case 'forged':
          return `Bearer ${forged}`;
        case 'basic':
          return `Basic ${Buffer.from(`${admin.email}:${PASSWORD}`).toString('base64')}`;
        case 'none':
          return undefined;
      }
    },
    snapshot: (members) => tableSnapshot(app, members),
    onPasswordChanged(newPassword) {
      passwordHolder.value = newPassword;
    },
  };
}

async function signIn(app: TestApp, who: TestEditor): Promise<{ refreshToken: string }> {
  const res = await app.request('POST', '/v1/auth/login', { body: { email: who.email, password: who.password } });
  if (res.status !== 200) throw new Error(`login failed: ${res.status} ${res.text}`);
  return { refreshToken: res.body.refresh_token as string };
}

/** What each snapshot member measures: one scalar subquery each. */
const SNAPSHOT_MEMBERS: Record<string, string> = {
  editors: 'select count(*)::int from editors',
  editors_changed: 'select max(updated_at)::text from editors',
  products: 'select count(*)::int from products',
  products_changed: 'select max(updated_at)::text from products',
  reviews: 'select count(*)::int from reviews',
  reviews_changed: 'select max(updated_at)::text from reviews',
  review_versions: 'select coalesce(sum(version), 0)::int from reviews',
  refresh_tokens: 'select count(*)::int from refresh_tokens',
  refresh_tokens_spent: 'select (count(used_at) + count(revoked_at))::int from refresh_tokens',
  idempotency_keys: 'select count(*)::int from idempotency_keys',
};

/** The members asked for, in one statement (one round trip; on the embedded database, one turn of its single connection). */
async function tableSnapshot(app: TestApp, members: readonly string[]): Promise<Record<string, unknown>> {
  const unknown = members.filter((m) => !(m in SNAPSHOT_MEMBERS));
  if (unknown.length || members.length === 0) throw new Error(`No snapshot member ${unknown.join(', ') || '(none asked for)'}`);
  const columns = members.map((m) => `(${SNAPSHOT_MEMBERS[m]}) as ${m}`).join(', ');
  const { rows } = await app.db.knex.raw<{ rows: Record<string, unknown>[] }>(`select ${columns}`);
  return rows[0] ?? {};
}
