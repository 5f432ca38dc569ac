import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { startServer, type ServerProcess } from '../support/server-process.js';

// A newcomer's first `npm start` on the embedded database: the printed demo accounts sign in at once,
// through the very curl line printed, and the demo editor can publish straight away.

const SLOW = 180_000; // each test starts PGlite-backed servers as separate processes, on a loaded machine

const BANNER = /listening on (http:\/\/localhost:\d+)\n[\s\S]*?Sign in as the demo editor:\n {2}(curl [^\n]+)\n/;
const ACCOUNT = (role: string) => new RegExp(`demo ${role}\\s+(\\S+@\\S+)\\s+password (\\S+)`);

type Credentials = { email: string; password: string };

async function bannerOf(server: ServerProcess) {
  const [, baseUrl, curl] = await server.waitFor(BANNER);
  const account = (role: string): Credentials => {
    const [, email, password] = ACCOUNT(role).exec(server.output()) ?? [];
    return { email: email ?? '', password: password ?? '' };
  };
  // bound to 127.0.0.1 in these tests; localhost may resolve to ::1 first
  return { baseUrl: (baseUrl ?? '').replace('localhost', '127.0.0.1'), curl: curl ?? '', admin: account('admin'), editor: account('editor') };
}

async function signIn(baseUrl: string, { email, password }: Credentials): Promise<{ status: number; token: string }> {
  const res = await fetch(`${baseUrl}/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email, password }) });
  const body = (await res.json()) as { access_token?: string };
  return { status: res.status, token: body.access_token ?? '' };
}

const call = (baseUrl: string, method: string, route: string, token: string, body?: unknown) =>
  fetch(`${baseUrl}${route}`, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body !== undefined && { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });

let dataDir: string;
let firstRun: Awaited<ReturnType<typeof bannerOf>>;
beforeAll(() => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'rcr-demo-'));
});
afterAll(() => {
  fs.rmSync(dataDir, { recursive: true, force: true });
});

describe('npm start on the embedded database: demo accounts', () => {
  test('when it starts on an empty data folder, then it prints where it listens, the database, the docs and a curl that signs the demo editor in', async () => {
    const server = startServer({ DATA_DIR: dataDir });
    try {
      firstRun = await bannerOf(server);
      const { stdout } = await promisify(execFile)('sh', ['-c', firstRun.curl.replace('localhost', '127.0.0.1')]);
      const file = path.join(dataDir, 'demo-accounts.json');

      expect(server.output()).toContain(`database  embedded PostgreSQL (PGlite) in ${path.join(dataDir, 'pglite')}`);
      expect(server.output()).toContain(`docs      ${firstRun.baseUrl.replace('127.0.0.1', 'localhost')}/docs`);
      expect(firstRun.editor.password.length).toBeGreaterThanOrEqual(20);
      expect(firstRun.admin.password).not.toBe(firstRun.editor.password);
      expect(firstRun.curl).toContain(firstRun.editor.password);
      expect(JSON.parse(stdout)).toMatchObject({ token_type: 'Bearer', access_token: expect.any(String) });
      expect(fs.statSync(file).mode & 0o777).toBe(0o600);
      expect(fs.readFileSync(file, 'utf8')).toContain(firstRun.admin.password);
    } finally {
      await server.stop();
    }
  }, SLOW);

  test('when the server starts again, then it prints the same accounts, and the editor publishes and the admin lists editors at once (no forced password change)', async () => {
    const server = startServer({ DATA_DIR: dataDir });
    try {
      const again = await bannerOf(server);
      const editor = await signIn(again.baseUrl, again.editor);
      const admin = await signIn(again.baseUrl, again.admin);
      const products = (await (await fetch(`${again.baseUrl}/v1/products?limit=1`)).json()) as { items: { id: string }[] };
      const review = {
        product_id: products.items[0]?.id,
        title: 'First light with the demo account',
        summary: 'Written in the five-minute tour.',
        body: 'Signed in with the printed curl, then posted this.',
        verdict_score: 8,
        status: 'published',
      };
      const created = await call(again.baseUrl, 'POST', '/v1/reviews', editor.token, review);
      const editors = await call(again.baseUrl, 'GET', '/v1/editors', admin.token);

      expect([again.admin, again.editor]).toEqual([firstRun.admin, firstRun.editor]);
      expect([editor.status, admin.status]).toEqual([200, 200]);
      expect(created.status).toBe(201);
      expect(editors.status).toBe(200);
    } finally {
      await server.stop();
    }
  }, SLOW);

  test('when demo-accounts.json was deleted, then the next start generates new passwords and resets the existing accounts to them', async () => {
    fs.rmSync(path.join(dataDir, 'demo-accounts.json'));
    const server = startServer({ DATA_DIR: dataDir });
    try {
      const renewed = await bannerOf(server);
      const [editor, oldEditor] = [await signIn(renewed.baseUrl, renewed.editor), await signIn(renewed.baseUrl, firstRun.editor)];

      expect(renewed.editor.email).toBe(firstRun.editor.email);
      expect(renewed.editor.password).not.toBe(firstRun.editor.password);
      expect([editor.status, oldEditor.status]).toEqual([200, 401]);
    } finally {
      await server.stop();
    }
  }, SLOW);

  test('when it starts in production, then no demo account is created or printed, and the log still says where it listens and which database', async () => {
    const productionDir = fs.mkdtempSync(path.join(os.tmpdir(), 'rcr-demo-prod-'));
    const server = startServer({ DATA_DIR: productionDir, NODE_ENV: 'production', JWT_SECRET: 'p'.repeat(48) });
    try {
      const [listening] = await server.waitFor(/\{[^\n]*"msg":"listening"\}/);

      expect(JSON.parse(listening)).toMatchObject({ url: expect.stringMatching(/^http:\/\/localhost:\d+$/), docs: expect.stringMatching(/\/docs$/), database: expect.stringContaining('embedded PostgreSQL') });
      expect(server.output()).not.toMatch(/demo (admin|editor)|Sign in as/);
      expect(fs.existsSync(path.join(productionDir, 'demo-accounts.json'))).toBe(false);
    } finally {
      await server.stop();
      fs.rmSync(productionDir, { recursive: true, force: true });
    }
  }, SLOW);
});
