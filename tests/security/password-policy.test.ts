import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { beforeAll, describe, expect, test } from '@jest/globals';
import { findEditorByEmail } from '../../src/data/editor-repository.js';
import { passwordWeakness } from '../../src/domain/password-policy.js';
import { useTestApp, type HttpResult } from '../support/test-app.js';
import { createEditor, expectProblem, type TestEditor } from '../support/fixtures.js';

// Passwords a guesser tries first are refused wherever a password is set (OWASP ASVS 5 §6.2,
// NIST SP 800-63B): by an admin creating an editor, by an editor changing theirs, by the admin
// command. And the current password a change asks for cannot be guessed faster than a sign-in.

const ROOT = path.resolve(import.meta.dirname, '../..');
const FREE_FAILURES = 3;

const app = useTestApp({ LOGIN_FREE_FAILURES: String(FREE_FAILURES), LOGIN_BACKOFF_MAX_SECONDS: '600', LOGIN_ACCOUNT_BACKOFF_MAX_SECONDS: '600' });
let admin: TestEditor;
beforeAll(async () => {
  admin = await createEditor(app, 'admin');
});

const uniqueEmail = (prefix: string) => `${prefix}-${randomBytes(3).toString('hex')}@test.example`;

function expectWeak(res: HttpResult, field: string, reason: string) {
  expectProblem(res, 422, 'weak_password');
  expect(res.body.errors).toEqual([expect.objectContaining({ path: field, code: reason })]);
  expect(res.body.detail).toMatch(/^Choose another password: this one /);
}

describe('POST /v1/editors', () => {
  test.each([
    ['password1234', 'common_password'],
    ['123456789012', 'common_password'],
    ['Password1234!', 'common_password'],
    ['qwertyuiop!!2024', 'common_password'],
    ['aaaaaaaaaaaa', 'repetitive_password'],
    ['abababababab', 'repetitive_password'],
  ])('when the initial password is %s, then 422 weak_password (%s) and no account is created', async (password, reason) => {
    const email = uniqueEmail('weak');

    const res = await app.request('POST', '/v1/editors', { token: admin.token, body: { email, display_name: 'Weak Password', initial_password: password } });

    expectWeak(res, '/body/initial_password', reason);
    expect(await findEditorByEmail(app.db.knex, email)).toBeUndefined();
  });

  test("when the initial password contains the account's email or display name, then 422 weak_password naming why", async () => {
    const email = uniqueEmail('margaret.bourke');
    const local = email.split('@')[0] ?? '';
    const withEmail = await app.request('POST', '/v1/editors', {
      token: admin.token,
      body: { email, display_name: 'Margaret', initial_password: `${local}!secret` },
    });
    const withName = await app.request('POST', '/v1/editors', {
      token: admin.token,
      body: { email: uniqueEmail('mbw'), display_name: 'Margaret Bourke-White', initial_password: 'my name is margaret bourke white' },
    });

    expectWeak(withEmail, '/body/initial_password', 'contains_email');
    expectWeak(withName, '/body/initial_password', 'contains_name');
  });

  test('when the initial password is a passphrase of its own, then 201', async () => {
    const res = await app.request('POST', '/v1/editors', {
      token: admin.token,
      body: { email: uniqueEmail('fine'), display_name: 'Fine Editor', initial_password: 'tripod lantern quietly 42' },
    });
    expect(res.status).toBe(201);
  });
});

describe('POST /v1/me/password', () => {
  test('when the new password is common or contains the email, then 422 weak_password and the old password still signs in', async () => {
    // a local part ending in letters: `editor-12345678-2024` would be refused as the common word `editor` first
    const editor = await createEditor(app, 'editor', { email: `${uniqueEmail('lens')}`.replace('@', '-kit@') });
    const local = editor.email.split('@')[0] ?? '';

    const common = await app.request('POST', '/v1/me/password', {
      token: editor.token,
      body: { current_password: editor.password, new_password: 'iloveyou1234' },
    });
    const ownEmail = await app.request('POST', '/v1/me/password', {
      token: editor.token,
      body: { current_password: editor.password, new_password: `${local}-2024` },
    });
    const signIn = await app.request('POST', '/v1/auth/login', { body: { email: editor.email, password: editor.password } });

    expectWeak(common, '/body/new_password', 'common_password');
    expectWeak(ownEmail, '/body/new_password', 'contains_email');
    expect(signIn.status).toBe(200);
  });

  test('when current_password is guessed wrong again and again, then 429 with Retry-After, as sign-in backs off', async () => {
    const editor = await createEditor(app);
    const guess = (current: string) =>
      app.request('POST', '/v1/me/password', { token: editor.token, body: { current_password: current, new_password: 'a fresh passphrase 77' } });

    const statuses: number[] = [];
    let throttled: HttpResult | undefined;
    // the first back-off is 1 s; on a slow machine one more failure may be counted before it shows
    for (let i = 0; i < FREE_FAILURES + 5 && !throttled; i++) {
      const res = await guess(`wrong guess number ${i}`);
      statuses.push(res.status);
      if (res.status === 429) throttled = res;
      else expectProblem(res, 422, 'wrong_password');
    }

    expect(statuses.slice(0, FREE_FAILURES)).toEqual(Array(FREE_FAILURES).fill(422));
    expect(throttled).toBeDefined();
    expectProblem(throttled as HttpResult, 429, 'rate_limited');
    expect(Number((throttled as HttpResult).headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    // nothing changed: the old password still signs in
    expect((await app.request('POST', '/v1/auth/login', { body: { email: editor.email, password: editor.password } })).status).toBe(200);
  });
});

describe('npm run admin -- create-editor', () => {
  test('when the password is a common one, then it refuses with the reason before touching the database', async () => {
    const result = await runAdmin(['create-editor', '--email', 'cli.weak@test.example', '--password', 'password1234']);

    expect(result.code).toBe(2);
    expect(result.output).toContain('--password is refused: it is on the list of commonly used passwords (common_password)');
  }, 60_000);
});

describe('password policy rules', () => {
  const owner = { email: 'ansel.adams@test.example', displayName: 'Ansel Adams' };
  test.each([
    ['correct horse battery staple', undefined],
    ['Ansel.Adams#1902', 'contains_email'],
    ['zone system by anseladams', 'contains_email'],
    ['monkey12345678', 'common_password'],
    ['1111122222333', 'repetitive_password'],
  ])('when the password is %s, then the verdict is %s', (password, code) => {
    expect(passwordWeakness(password, owner)?.code).toBe(code);
  });
});

function runAdmin(args: string[]): Promise<{ code: number | null; output: string }> {
  const env: NodeJS.ProcessEnv = { ...process.env, DATA_DIR: 'memory://', LOG_LEVEL: 'silent' };
  delete env.NODE_OPTIONS; // jest's --experimental-vm-modules is not for the child
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/admin.ts', ...args], { cwd: ROOT, env });
  let output = '';
  child.stdout.on('data', (c: Buffer) => (output += c.toString()));
  child.stderr.on('data', (c: Buffer) => (output += c.toString()));
  return new Promise((resolve) => child.on('exit', (code) => resolve({ code, output })));
}
