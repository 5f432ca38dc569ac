// `npm run sandbox`: the real service for frontend work, where the static mock cannot follow a flow
// (publish then read it back, 404 on an unknown slug, 412 on a stale ETag). An in-memory embedded
// database (nothing kept), the demo catalog and reviews, a demo admin and editor whose generated
// passwords are printed at start, CORS open to the usual local dev-server origins.
//   SANDBOX_PORT (default 4020), SANDBOX_HOST (default 127.0.0.1), SANDBOX_CORS_ORIGINS (comma-separated).
import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { exitUnlessPortFree } from './lib/port-check.mjs';

const root = path.join(path.dirname(fileURLToPath(import.meta.url)), '..');
const port = process.env.SANDBOX_PORT || '4020';
const host = process.env.SANDBOX_HOST || '127.0.0.1';
const DEV_SERVER_ORIGINS = [
  'http://localhost:5173',
  'http://127.0.0.1:5173',
  'http://localhost:3000',
  'http://127.0.0.1:3000',
  'http://localhost:8080',
  'http://127.0.0.1:8080',
];

// before the database opens (seconds), and naming SANDBOX_PORT rather than the server's PORT
await exitUnlessPortFree({ variable: 'SANDBOX_PORT', hostVariable: 'SANDBOX_HOST', port, host, command: 'npm run sandbox' });

const env = {
  ...process.env,
  NODE_ENV: 'development',
  PORT: port,
  HOST: host,
  DATABASE_URL: '',
  DATA_DIR: 'memory://',
  SEED_DEMO: 'true',
  DEMO_ACCOUNTS: 'true',
  CORS_ORIGINS: process.env.SANDBOX_CORS_ORIGINS || DEV_SERVER_ORIGINS.join(','),
  LOG_LEVEL: process.env.LOG_LEVEL || 'warn',
};
// a sandbox shares nothing: no Redis, no replicas, whatever the shell exports
for (const name of ['REDIS_URL', 'DATABASE_REPLICA_URLS', 'JWT_JWKS_URL']) delete env[name];

// with the node flags the sandbox itself was given (the tests' --liftoff-only: tests/support/server-process.ts)
const server = spawn(process.execPath, [...process.execArgv, '--import', 'tsx', 'src/server.ts'], { cwd: root, env, stdio: 'inherit' });
console.log(`Sandbox: the real API on an in-memory database at http://${host}:${port}/v1 (starting; demo accounts below). CORS origins: ${env.CORS_ORIGINS}`);
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => server.kill(signal));
server.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
