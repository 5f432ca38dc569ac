import fs from 'node:fs';
import path from 'node:path';

// Runs once before all test files: says which database the contract tests use, so a run
// against the embedded database is never mistaken for one against a real PostgreSQL server.
export default async function globalSetup(globalConfig: { rootDir: string }): Promise<void> {
  // this run's answers only (tests/support/contract-coverage.ts's COVERAGE_DIR; this file is loaded as
  // CommonJS, without the .js mapping, so it names the folder itself): npm run contract:coverage reads them
  fs.rmSync(path.join(globalConfig.rootDir, '.contract-coverage'), { recursive: true, force: true });
  const url = process.env.TEST_DATABASE_URL;
  process.stdout.write(
    url
      ? `\ncontract tests: PostgreSQL at ${url.replace(/\/\/[^@]*@/, '//***@')} (a fresh schema per test file)\n`
      : '\ncontract tests: embedded PostgreSQL (PGlite, in memory); set TEST_DATABASE_URL to use a PostgreSQL server\n',
  );
  const redis = process.env.TEST_REDIS_URL;
  process.stdout.write(
    redis
      ? `shared rate limits: Redis at ${redis.replace(/\/\/[^@]*@/, '//***@')}\n`
      : 'shared rate limits: one in-memory store; set TEST_REDIS_URL to use a Redis server\n',
  );
}
