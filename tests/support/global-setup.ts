import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

// Runs once before all test files, outside jest's module mapping (so: node built-ins only). Says which
// database the contract tests use, so a run against the embedded database is never mistaken for one
// against a real PostgreSQL server; on the embedded one, migrates once for every test app.

export default async function globalSetup(globalConfig: { rootDir: string }): Promise<void> {
  // this run's answers only (tests/support/contract-coverage.ts's COVERAGE_DIR; this file is loaded as
  // CommonJS, without the .js mapping, so it names the folder itself): npm run contract:coverage reads them
  fs.rmSync(path.join(globalConfig.rootDir, '.contract-coverage'), { recursive: true, force: true });
  const url = process.env.TEST_DATABASE_URL;
  process.stdout.write(
    url
      ? `\ncontract tests: PostgreSQL at ${url.replace(/\/\/[^@]*@/, '//***@')} (a fresh schema per test file)\n`
      : '\ncontract tests: embedded PostgreSQL (PGlite, in memory, restored from a snapshot migrated once); set TEST_DATABASE_URL to use a PostgreSQL server\n',
  );
  const redis = process.env.TEST_REDIS_URL;
  process.stdout.write(
    redis
      ? `shared rate limits: Redis at ${redis.replace(/\/\/[^@]*@/, '//***@')}\n`
      : 'shared rate limits: one in-memory store; set TEST_REDIS_URL to use a Redis server\n',
  );
  if (!url) await writeMigratedSnapshot(globalConfig.rootDir);
}

/** The snapshot file, named in the environment that jest's workers inherit; globalTeardown removes it. */
async function writeMigratedSnapshot(rootDir: string): Promise<void> {
  const file = path.join(os.tmpdir(), `rcr-test-snapshot-${process.pid}-${randomBytes(4).toString('hex')}.tar`);
  const env = { ...process.env };
  delete env.NODE_OPTIONS; // jest's --experimental-vm-modules is not for the child
  // --liftoff-only: the same bytes, about 1.5 s less CPU (see BASELINE_WASM in server-process.ts, which this file cannot import)
  await promisify(execFile)(process.execPath, ['--liftoff-only', '--import', 'tsx', 'tests/support/write-embedded-snapshot.ts', file], { cwd: rootDir, env });
  process.env.TEST_EMBEDDED_SNAPSHOT = file;
}
