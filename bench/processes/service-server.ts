import { randomBytes } from 'node:crypto';
import os from 'node:os';
import path from 'node:path';
import { startNodeChild, type RunningChild } from './child-process.js';

/** compiled: `npm run build`'s dist/, as production runs it; tsx: the sources, no build step. */
export type ServerBuild = 'compiled' | 'tsx';

export type ServiceOptions = {
  build: ServerBuild;
  databaseUrl: string;
  schema: string;
  readCache: boolean;
  extraEnv: Record<string, string>;
  logFile: string;
};

/**
 * V8's default young generation (16 MiB semi-spaces) and its lazy old-space collection left a
 * compiled server at ~210 MB RSS under load with ~40 MB of live heap; these bounds hold it near 120 MB.
 */
export const PRODUCTION_NODE_OPTIONS = '--max-old-space-size=96 --max-semi-space-size=8';

/**
 * PostgreSQL runs on this machine's cores, shared with the service and the load generator: a pool of
 * twice the cores (the PostgreSQL wiki's starting point, cores × 2 + spindles) keeps it from
 * time-slicing more busy backends than it has cores. Measured here with the default pool of 10,
 * search newest-first had a p99 of 29-31 ms against 24-25 ms with 4, at the same throughput.
 * A deployment sizes DATABASE_POOL_MAX for its own database server the same way.
 */
export const BENCH_POOL_MAX = String(2 * os.availableParallelism());

/**
 * The service as production runs it (NODE_ENV=production, warn-level JSON logs, no demo seed),
 * on the bench schema. READ_CACHE_TTL_SECONDS=0 turns the in-process read cache off, so the
 * uncached scenarios measure the database path; a server that predates that variable ignores it.
 */
export function startService(options: ServiceOptions): Promise<RunningChild> {
  return startNodeChild({
    name: `service (read cache ${options.readCache ? 'on' : 'off'})`,
    script: options.build === 'compiled' ? path.join('dist', 'src', 'server.js') : path.join('src', 'server.ts'),
    env: {
      // the heap settings the Dockerfile runs with (keep the two in step)
      NODE_OPTIONS: PRODUCTION_NODE_OPTIONS,
      NODE_ENV: 'production',
      JWT_SECRET: randomBytes(32).toString('base64url'),
      LOG_LEVEL: 'warn',
      SEED_DEMO: 'false',
      DATABASE_URL: options.databaseUrl,
      DATABASE_SCHEMA: options.schema,
      ...(options.readCache ? {} : { READ_CACHE_TTL_SECONDS: '0' }),
      DATABASE_POOL_MAX: BENCH_POOL_MAX,
      ...options.extraEnv,
    },
    readyPath: '/readyz',
    logFile: options.logFile,
  });
}
