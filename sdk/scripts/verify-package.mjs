// Proves the tarball npm would publish works where it will be used: publint and attw on it; an
// empty project installs it and imports it from ES modules and from CommonJS; the README's
// quickstart type-checks against the installed types and runs against the real server.
import { execFileSync, spawn } from 'node:child_process';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import { createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const sdk = path.join(path.dirname(fileURLToPath(import.meta.url)), '..');
const repo = path.join(sdk, '..');
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'rcr-sdk-pack-'));
const npm = (args, cwd) => execFileSync('npm', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
const node = (args, cwd) =>
  execFileSync(process.execPath, args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, NODE_OPTIONS: '' } });
let server;

try {
  step('build and pack');
  execFileSync('npm', ['run', 'build'], { cwd: sdk, stdio: 'inherit' });
  const [{ filename }] = JSON.parse(npm(['pack', '--json', '--ignore-scripts', '--pack-destination', work], sdk));
  const tarball = path.join(work, filename);

  step('publint and attw on the tarball');
  for (const check of [
    ['publint', 'run', tarball, '--strict'],
    ['attw', tarball, '--format', 'ascii'],
  ]) {
    execFileSync('npm', ['exec', '--', ...check], { cwd: sdk, stdio: 'inherit' });
  }

  step('install it in an empty project');
  const consumer = path.join(work, 'consumer');
  fs.mkdirSync(consumer);
  fs.writeFileSync(path.join(consumer, 'package.json'), JSON.stringify({ name: 'consumer', private: true, type: 'module' }));
  npm(['install', '--no-audit', '--no-fund', '--prefer-offline', tarball, 'typescript@5.9.3', '@types/node@20.19.43'], consumer);

  step('start the real server (embedded database, demo catalog)');
  const admin = { email: 'admin@example.com', password: 'change-me-tripod-42' };
  const baseUrl = await startServer(admin);

  step('import from ES modules and require from CommonJS');
  const check = (load) => `${load}
    const client = createClient({ baseUrl: ${JSON.stringify(baseUrl)} });
    client.content.list({ limit: 1 }).then(async (page) => {
      if (page.items.length !== 1) throw new Error('no content');
      const error = await client.content.get('no-such-review').catch((e) => e);
      if (!(error instanceof NotFoundError) || error.code !== 'not_found') throw new Error('not a NotFoundError: ' + error);
      console.log('ok');
    });`;
  fs.writeFileSync(path.join(consumer, 'esm.mjs'), check("import { createClient, NotFoundError } from '@randomcamerareviews/sdk';"));
  fs.writeFileSync(path.join(consumer, 'cjs.cjs'), check("const { createClient, NotFoundError } = require('@randomcamerareviews/sdk');"));
  assert.equal(node(['esm.mjs'], consumer).trim(), 'ok');
  assert.equal(node(['cjs.cjs'], consumer).trim(), 'ok');

  step('type-check the quickstart against the installed types, then run it');
  fs.copyFileSync(path.join(sdk, 'examples/quickstart.ts'), path.join(consumer, 'quickstart.ts'));
  const tsc = [
    'node_modules/typescript/bin/tsc',
    'quickstart.ts',
    '--strict',
    '--module',
    'nodenext',
    '--target',
    'es2022',
    '--types',
    'node',
    '--outDir',
    'out',
  ];
  node(tsc, consumer);
  const output = node(['out/quickstart.js', baseUrl, admin.email, admin.password], consumer);
  process.stdout.write(output);
  assert.match(output, /^published x-t5-after-a-month-in-patagonia/m);
  assert.match(output, /^found X-T5 after a month in Patagonia$/m);
  assert.match(output, /^rejected: \/body\/verdict_score /m);

  step('the tarball works from ESM, CommonJS and TypeScript');
} finally {
  server?.kill('SIGTERM');
  fs.rmSync(work, { recursive: true, force: true });
}

function step(what) {
  console.log(`\n== ${what}`);
}

async function startServer(admin) {
  const port = await freePort();
  server = spawn(process.execPath, ['--import', 'tsx', 'src/server.ts'], {
    cwd: repo,
    stdio: ['ignore', 'ignore', 'inherit'],
    env: {
      ...process.env,
      NODE_OPTIONS: '',
      NODE_ENV: 'development',
      PORT: String(port),
      HOST: '127.0.0.1',
      DATABASE_URL: '',
      DATA_DIR: 'memory://',
      JWT_SECRET: randomBytes(32).toString('hex'),
      BOOTSTRAP_ADMIN_EMAIL: admin.email,
      BOOTSTRAP_ADMIN_PASSWORD: admin.password,
      LOG_LEVEL: 'warn',
    },
  });
  const origin = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 120_000;
  while (Date.now() < deadline) {
    if (server.exitCode !== null) throw new Error(`server exited with ${server.exitCode}`);
    if (
      await fetch(`${origin}/readyz`).then(
        (r) => r.ok,
        () => false,
      )
    )
      return `${origin}/v1`;
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  throw new Error('server not ready within 120 s');
}

function freePort() {
  return new Promise((resolve) => {
    const probe = createServer().listen(0, '127.0.0.1', () => {
      const { port } = probe.address();
      probe.close(() => resolve(port));
    });
  });
}
