import { parseArgs } from 'node:util';
import { DEFAULT_TERMS_SEED } from './corpus/term-bands.js';
import type { ServerBuild } from './processes/service-server.js';

export type BenchOptions = {
  reviews: number;
  products: number;
  editors: number;
  durationSeconds: number;
  warmupSeconds: number;
  repeat: number;
  writes: number;
  termsSeed: number;
  databaseUrl: string;
  schema: string;
  reseed: boolean;
  seedJobs: number;
  server: ServerBuild;
  only: string[] | undefined;
  strict: boolean;
  serverEnv: Record<string, string>;
  resultsDir: string;
};

export const USAGE = `npm run bench -- [options]

  --reviews N          corpus size (default 1000000; drafts are added on top of ~97% published)
  --products N         catalog size (default 5000)
  --editors N          editors (default 50)
  --duration S         seconds of measured load per scenario (default 10)
  --warmup S           seconds of unmeasured load before each scenario (default 2)
  --repeat N           measure each scenario N times in a row, each with its warm-up (default 1);
                       the verdict judges the median, the table shows the range
  --writes N           reviews published one at a time after the uncached load, each timed against
                       the write budget, then deleted (default 1000; 0 skips them)
  --terms-seed N       seed of the search terms drawn from the corpus's frequency bands, and of the
                       filters paired with them (default ${DEFAULT_TERMS_SEED})
  --database-url URL   PostgreSQL to seed and serve from (default $BENCH_DATABASE_URL or
                       postgres://postgres@127.0.0.1:5432/test)
  --schema NAME        schema of the corpus (default bench_<reviews>); reused when it already
                       holds a corpus of the same size and generator version
  --reseed             seed again even when the schema holds a matching corpus
  --seed-jobs N        parallel INSERT connections while seeding (default 2)
  --server compiled|tsx  run the service as npm run build's dist/ (default, as production does) or
                       from the sources through tsx (no build step, but ~45 MB more RSS)
  --only A,B           run only these scenarios (ids as printed in the table); the cold first
                       requests run with any search-* scenario
  --server-env K=V     extra environment for both servers, repeatable (e.g. DATABASE_POOL_MAX=20)
  --strict             exit 2 when a target is missed (default: report only)
  --results-dir DIR    where the JSON goes (default bench/results)
`;

export function parseOptions(argv: string[], env: NodeJS.ProcessEnv): BenchOptions | 'help' {
  const { values } = parseArgs({
    args: argv,
    options: {
      reviews: { type: 'string' },
      products: { type: 'string' },
      editors: { type: 'string' },
      duration: { type: 'string' },
      warmup: { type: 'string' },
      repeat: { type: 'string' },
      writes: { type: 'string' },
      'terms-seed': { type: 'string' },
      'database-url': { type: 'string' },
      schema: { type: 'string' },
      reseed: { type: 'boolean' },
      'seed-jobs': { type: 'string' },
      server: { type: 'string' },
      only: { type: 'string' },
      'server-env': { type: 'string', multiple: true },
      strict: { type: 'boolean' },
      'results-dir': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) return 'help';
  const reviews = integer('--reviews', values.reviews, 1_000_000, 100);
  const schema = values.schema ?? `bench_${reviews}`;
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(schema)) throw new Error(`--schema: "${schema}" is not a plain lower-case identifier`);
  return {
    reviews,
    products: integer('--products', values.products, 5_000, 1),
    editors: integer('--editors', values.editors, 50, 1),
    durationSeconds: seconds('--duration', values.duration, 10),
    warmupSeconds: seconds('--warmup', values.warmup, 2, 0),
    repeat: integer('--repeat', values.repeat, 1, 1),
    writes: integer('--writes', values.writes, 1000, 0),
    termsSeed: integer('--terms-seed', values['terms-seed'], DEFAULT_TERMS_SEED, 0),
    databaseUrl: values['database-url'] ?? (env.BENCH_DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/test'),
    schema,
    reseed: values.reseed ?? false,
    seedJobs: integer('--seed-jobs', values['seed-jobs'], 2, 1),
    server: serverBuild(values.server),
    only: values.only
      ?.split(',')
      .map((s) => s.trim())
      .filter(Boolean),
    strict: values.strict ?? false,
    serverEnv: Object.fromEntries((values['server-env'] ?? []).map(keyValue)),
    resultsDir: values['results-dir'] ?? 'bench/results',
  };
}

function integer(flag: string, raw: string | undefined, fallback: number, min: number): number {
  if (raw === undefined) return fallback;
  const value = Number(raw.replace(/_/g, ''));
  if (!Number.isInteger(value) || value < min) throw new Error(`${flag}: expected an integer ≥ ${min}, got "${raw}"`);
  return value;
}

function seconds(flag: string, raw: string | undefined, fallback: number, min = 0.5): number {
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value < min) throw new Error(`${flag}: expected seconds ≥ ${min}, got "${raw}"`);
  return value;
}

function serverBuild(raw: string | undefined): ServerBuild {
  if (raw === undefined || raw === 'compiled' || raw === 'tsx') return raw ?? 'compiled';
  throw new Error(`--server: expected compiled or tsx, got "${raw}"`);
}

function keyValue(pair: string): [string, string] {
  const at = pair.indexOf('=');
  if (at < 1) throw new Error(`--server-env: expected KEY=VALUE, got "${pair}"`);
  return [pair.slice(0, at), pair.slice(at + 1)];
}
