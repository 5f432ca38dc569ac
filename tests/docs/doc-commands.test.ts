import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { seedDemoContent } from '../../src/startup/demo-seed.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { allShellBlocks, curlsWithoutFail, scriptFor, type ShellBlock } from './doc-blocks.js';

// Every shell command in the README and docs/ either runs here, against the real app started for this
// file, or says in the doc why it does not (compose, docker, a 1M-review benchmark, …).

const run = promisify(execFile);
const root = fileURLToPath(new URL('../..', import.meta.url));
const blocks = allShellBlocks(root);
const executable = (b: ShellBlock) => b.marker.kind === 'run' || b.marker.kind === 'run-error';
const where = (b: ShellBlock) => `${b.file}:${b.line}`;

const ADMIN_EMAIL = 'docs-admin@example.com';
const ADMIN_PASSWORD = 'docs-shutter-wheel-71';

describe('the shell commands in the README and docs/', () => {
  test('when a doc has a shell block, then it is marked run, run: error, or not-run with a reason', () => {
    const unmarked = blocks.filter((b) => b.marker.kind === 'unmarked' || (b.marker.kind === 'not-run' && b.marker.reason === '')).map(where);
    expect(unmarked).toEqual([]);
    const notRun = blocks.flatMap((b) => (b.marker.kind === 'not-run' ? [`${where(b)}: ${b.marker.reason}`] : []));
    process.stdout.write(`doc commands not executed by this test (${notRun.length}):\n${notRun.map((n) => `  ${n}`).join('\n')}\n`);
    expect(blocks.filter(executable).length).toBeGreaterThan(5);
  });

  test('when a block is marked run, then every curl in it fails on a non-2xx answer (-f)', () => {
    const lax = blocks.filter((b) => b.marker.kind === 'run').flatMap((b) => curlsWithoutFail(b.code).map((c) => `${where(b)}: ${c}`));
    expect(lax).toEqual([]);
  });

  describe('run against a started server', () => {
    let app: TestApp;

    beforeAll(async () => {
      app = await startTestApp();
      await seedDemoContent(app.db.knex);
      await app.services.editors.ensureAdmin(ADMIN_EMAIL, ADMIN_PASSWORD);
    });

    afterAll(async () => {
      await app?.close();
    });

    const files = [...new Set(blocks.filter(executable).map((b) => b.file))];
    test.each(files)('when the runnable blocks of %s run in order, then each exits 0', async (file) => {
      const script = scriptFor(blocks.filter((b) => b.file === file && executable(b)));
      const env = { ...process.env, BASE: app.baseUrl, ADMIN_EMAIL, ADMIN_PASSWORD };
      const result = await run('bash', ['-c', script], { cwd: root, env, maxBuffer: 16 * 1024 * 1024 }).catch(
        (error: { code?: number; stdout?: string; stderr?: string }) => error,
      );
      // on failure the last ">>> file:line" on stderr names the block that failed
      expect({ exit: 'code' in result ? result.code : 0, stderr: 'code' in result ? result.stderr : '' }).toEqual({ exit: 0, stderr: expect.any(String) });
    });
  });
});
