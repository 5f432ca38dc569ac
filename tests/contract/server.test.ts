import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { once } from 'node:events';

// The newcomer's path, as a process: `npm start` on the embedded database, then the admin command.
// Runs the real entry points (src/server.ts, src/cli/admin.ts) as child processes.

const ROOT = path.resolve(import.meta.dirname, '../..');
const ADMIN = { email: 'first.admin@test.example', password: 'bootstrap-secret-4821' };

type Running = { child: ChildProcess; baseUrl: string; output: () => string };

function baseEnv(dataDir: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, DATA_DIR: dataDir, PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'info', NODE_ENV: 'development' };
  delete env.DATABASE_URL;
  delete env.NODE_OPTIONS; // jest's --experimental-vm-modules is not for the child
  return env;
}

async function startServer(dataDir: string, extraEnv: Record<string, string> = {}): Promise<Running> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/server.ts'], { cwd: ROOT, env: { ...baseEnv(dataDir), ...extraEnv } });
  let output = '';
  const baseUrl = await new Promise<string>((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = /"url":"(http:\/\/localhost:\d+)"/.exec(output);
      if (match?.[1]) resolve(match[1].replace('localhost', '127.0.0.1'));
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('exit', (code) => reject(new Error(`server exited with ${code}: ${output}`)));
  });
  return { child, baseUrl, output: () => output };
}

async function stop(running: Running): Promise<number | null> {
  running.child.kill('SIGTERM');
  const [code] = (await once(running.child, 'exit')) as [number | null];
  return code;
}

function runAdmin(dataDir: string, args: string[]): Promise<{ code: number | null; output: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/admin.ts', ...args], { cwd: ROOT, env: baseEnv(dataDir) });
  let output = '';
  child.stdout.on('data', (c: Buffer) => (output += c.toString()));
  child.stderr.on('data', (c: Buffer) => (output += c.toString()));
  return new Promise((resolve) => child.on('exit', (code) => resolve({ code, output })));
}

const login = (baseUrl: string, email: string, password: string) =>
  fetch(`${baseUrl}/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email, password }) });

let dataDir: string;
beforeAll(() => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'rcr-server-'));
});
afterAll(() => {
  fs.rmSync(dataDir, { recursive: true, force: true });
});

describe('npm start on the embedded database', () => {
  test('when started on an empty data folder, then it migrates, seeds demo content, serves /docs, and stops gracefully on SIGTERM', async () => {
    const server = await startServer(dataDir, { BOOTSTRAP_ADMIN_EMAIL: ADMIN.email, BOOTSTRAP_ADMIN_PASSWORD: ADMIN.password });

    const content = (await (await fetch(`${server.baseUrl}/v1/content?limit=100`)).json()) as { items: unknown[] };
    const docs = await fetch(`${server.baseUrl}/docs/`);
    const adminLogin = await login(server.baseUrl, ADMIN.email, ADMIN.password);

    expect(content.items.length).toBeGreaterThanOrEqual(10);
    expect(docs.status).toBe(200);
    expect(adminLogin.status).toBe(200);
    expect(await stop(server)).toBe(0);
    expect(server.output()).toContain('"msg":"stopped"');
  });

  test('when the admin command runs while the server holds the data folder, then it refuses with a clear message', async () => {
    const server = await startServer(dataDir);
    try {
      const result = await runAdmin(dataDir, ['create-editor', '--email', 'x@test.example', '--password', 'long-enough-password']);
      expect(result.code).toBe(1);
      expect(result.output).toMatch(/in use by process \d+\. Stop it first/);
    } finally {
      await stop(server);
    }
  });

  test('when the admin command creates an editor and the server restarts, then data persisted and demo content is not seeded twice', async () => {
    const created = await runAdmin(dataDir, ['create-editor', '--email', 'New.Editor@test.example', '--password', 'editor-password-123', '--name', 'New Editor']);
    const duplicate = await runAdmin(dataDir, ['create-editor', '--email', 'new.editor@test.example', '--password', 'editor-password-123']);
    const invalid = await runAdmin(dataDir, ['create-editor', '--email', 'not-an-email', '--password', 'short']);

    const server = await startServer(dataDir, { BOOTSTRAP_ADMIN_EMAIL: ADMIN.email, BOOTSTRAP_ADMIN_PASSWORD: ADMIN.password });
    try {
      const content = (await (await fetch(`${server.baseUrl}/v1/content?limit=100`)).json()) as { items: unknown[] };
      const editorLogin = await login(server.baseUrl, 'new.editor@test.example', 'editor-password-123');

      expect(created).toMatchObject({ code: 0, output: expect.stringContaining('Created editor New.Editor@test.example') });
      expect(duplicate).toMatchObject({ code: 1, output: expect.stringContaining('already exists') });
      expect(invalid.code).toBe(2);
      expect(invalid.output).toContain('--email must be an email address');
      expect(editorLogin.status).toBe(200);
      expect(server.output()).not.toContain('demo catalog and reviews seeded');
      expect(server.output()).not.toContain('bootstrap admin created');
      expect(content.items).toHaveLength(12);
    } finally {
      await stop(server);
    }
  });
});

describe('configuration at start', () => {
  test('when the environment is invalid, then the server exits 1 naming each bad variable, without a stack trace', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/server.ts'], {
      cwd: ROOT,
      env: { ...baseEnv(dataDir), PORT: 'eighty', NODE_ENV: 'production' },
    });
    let output = '';
    child.stderr.on('data', (c: Buffer) => (output += c.toString()));
    const [code] = (await once(child, 'exit')) as [number | null];

    expect(code).toBe(1);
    expect(output).toContain('PORT');
    expect(output).toContain('JWT_SECRET: is required in production');
    expect(output).not.toMatch(/\n\s+at /);
  });
});
