import { randomBytes } from 'node:crypto';
import type { components } from '../../generated/reviews.js';
import type { TestApp } from './test-app.js';

// Arrange helpers: each test makes its own data, through the same services the API uses.

export const PASSWORD = 'correct horse battery staple';

export async function createEditor(app: TestApp, role: 'editor' | 'admin' = 'editor', overrides: { email?: string; password?: string } = {}) {
  const email = overrides.email ?? `${role}-${randomBytes(4).toString('hex')}@test.example`;
  const password = overrides.password ?? PASSWORD;
  const row = await app.services.editors.create(
    { email, display_name: `${role} ${email.slice(0, 8)}`, role, initial_password: password },
    { mustChangePassword: false },
  );
  const login = await app.request('POST', '/v1/auth/login', { body: { email, password } });
  if (login.status !== 200) throw new Error(`login failed: ${login.status} ${login.text}`);
  return { id: row.id, email, password, token: login.body.access_token as string, refreshToken: login.body.refresh_token as string };
}

export type TestEditor = Awaited<ReturnType<typeof createEditor>>;

/** A review written through the API (POST /v1/reviews), published unless overridden. */
export async function writeReview(
  app: TestApp,
  editor: TestEditor,
  productId: string,
  overrides: Record<string, unknown> = {},
): Promise<components['schemas']['Review']> {
  const res = await app.request('POST', '/v1/reviews', { token: editor.token, body: reviewInput(productId, overrides) });
  if (res.status !== 201) throw new Error(`createReview failed: ${res.status} ${res.text}`);
  return res.body;
}

export async function createProduct(
  app: TestApp,
  overrides: Partial<{ type: 'camera' | 'lens'; brand: string; model: string; mount: string | null; specs: Record<string, string | number | boolean> }> = {},
) {
  const admin = await app.services.editors.create(
    { email: `catalog-${randomBytes(4).toString('hex')}@test.example`, display_name: 'Catalog', initial_password: PASSWORD },
    { mustChangePassword: false },
  );
  const principal = { id: admin.id, role: admin.role, displayName: admin.display_name, mustChangePassword: false };
  return app.services.products.create(principal, {
    type: overrides.type ?? 'camera',
    brand: overrides.brand ?? `Brand${randomBytes(3).toString('hex')}`,
    model: overrides.model ?? `Model ${randomBytes(3).toString('hex')}`,
    mount: overrides.mount === undefined ? 'X' : overrides.mount,
    specs: overrides.specs ?? { sensor_format: 'APS-C', resolution_mp: 26.1, ibis: true },
  });
}

/** An editor and a product for them to review. */
export async function editorWithProduct(app: TestApp) {
  return { editor: await createEditor(app), product: await createProduct(app) };
}

export function reviewInput(productId: string, overrides: Record<string, unknown> = {}) {
  return {
    product_id: productId,
    title: `Field test ${randomBytes(3).toString('hex')}`,
    summary: 'A short summary of the verdict.',
    body: '## Handling\n\nGood grip and clear dials.',
    pros: ['Sharp'],
    cons: ['Heavy'],
    verdict_score: 8.5,
    images: [{ url: 'https://images.example/x.jpg', alt: 'Front view' }],
    status: 'published',
    ...overrides,
  };
}

/** Asserts an RFC 9457 problem with the stable code. */
export function expectProblem(res: { status: number; headers: Headers; body: any }, status: number, code: string): void {
  expect({ status: res.status, code: res.body?.code }).toEqual({ status, code });
  expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  expect(res.body).toMatchObject({ type: expect.stringContaining(code), title: expect.any(String), status });
  expect(JSON.stringify(res.body)).not.toMatch(/at .*\.(ts|js):\d+/); // never a stack trace
}
