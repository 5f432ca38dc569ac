import { mkdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import type { Knex } from 'knex';
import { createDatabase } from '../src/data/database.js';
import type { CorpusMarker } from './corpus/corpus-marker.js';
import { prewarmCorpus } from './corpus/prewarm.js';
import { measureSearchTerms } from './corpus/search-terms.js';
import { ensureCorpus } from './corpus/seed-corpus.js';
import { openSeedingConnection } from './corpus/seeding-connection.js';
import { readCatalogValues } from './load/catalog-values.js';
import { timeFirstRequests } from './load/first-requests.js';
import { preflight } from './load/preflight.js';
import { buildRequestPools, type RequestPools } from './load/request-pools.js';
import { runLoad, type LoadResult } from './load/run-load.js';
import { buildSearchPools, coldStartRequests } from './load/search-pools.js';
import { costlySearches } from './load/costly-searches.js';
import { timeEditorWrites, WRITER_ENV } from './load/editor-writes.js';
import { parseOptions, USAGE, type BenchOptions } from './options.js';
import { captureAnchorFixture } from './processes/anchor-fixture.js';
import { startNodeChild, type RunningChild } from './processes/child-process.js';
import { buildService } from './processes/build-service.js';
import { BENCH_POOL_MAX, startService } from './processes/service-server.js';
import {
  allTargetsMet,
  judgeEditorWrites,
  judgeFirstRequest,
  reportCostlySearch,
  judgeMemory,
  judgeScenario,
  type FirstRequestOutcome,
  type ScenarioOutcome,
  type ServerMemory,
  type WritesOutcome,
} from './report/evaluate.js';
import { formatTable } from './report/print-table.js';
import { formatSearchPools, formatSearchTerms } from './report/print-terms.js';
import { fileStamp, machineInfo, writeResults } from './report/write-results.js';
import { SCENARIOS, type Scenario } from './scenarios.js';

// npm run bench: seed (or reuse) a corpus, start the service and a bare node:http anchor as child
// processes, load each scenario with autocannon from this process, print and save the figures.
// Exit 0: measured (targets met or not, unless --strict); 1: the harness itself failed; 2: --strict and a target missed.

const log = (line: string) => process.stdout.write(`${line}\n`);
const running = new Set<RunningChild>();

async function main(): Promise<number> {
  const parsed = parseOptions(process.argv.slice(2), process.env);
  if (parsed === 'help') {
    log(USAGE);
    return 0;
  }
  const options = parsed;
  const stamp = fileStamp();
  mkdirSync(options.resultsDir, { recursive: true });
  const scenarios = selectScenarios(options.only);

  log(`bench: ${options.reviews.toLocaleString('en')} reviews in schema ${options.schema} at ${redact(options.databaseUrl)}`);
  // The app's own migrations make the schema, exactly as a deployment would.
  const db = createDatabase({
    url: options.databaseUrl,
    schema: options.schema,
    poolMax: 1,
    lockTimeoutMs: 60_000,
    readTimeoutMs: 60_000,
    dataDir: 'memory://',
    replicaUrls: [],
  });
  await db.migrate();
  await db.close();

  const givenPool = options.serverEnv.DATABASE_POOL_MAX;
  log(
    givenPool === undefined
      ? `service pool: DATABASE_POOL_MAX=${BENCH_POOL_MAX} (twice this machine's cores, which PostgreSQL shares; --server-env overrides)`
      : `service pool: DATABASE_POOL_MAX=${givenPool} (from --server-env)`,
  );
  if (options.server === 'compiled') buildService(log);
  else log('service runs from the sources through tsx: its RSS includes the loader (~45 MB)');

  const knex = openSeedingConnection(options.databaseUrl, options.schema, options.seedJobs + 1);
  try {
    const postgres = await postgresSettings(knex);
    const meta = machineInfo(postgres);
    log(`postgres ${postgres.server_version}: shared_buffers ${postgres.shared_buffers}, work_mem ${postgres.work_mem}`);
    const { marker, reused } = await ensureCorpus(knex, { ...options, jobs: options.seedJobs, log });
    log(reused ? `corpus: reused (seeded ${marker.seeded_at} in ${marker.seed_seconds} s)` : `corpus: seeded in ${marker.seed_seconds} s`);
    log(describeCorpus(marker));
    await prewarmCorpus(knex, options.schema, log);
    // drawn on every run, not stored with the corpus: another --terms-seed draws other terms from the same corpus
    const terms = await measureSearchTerms(knex, marker.published, options.termsSeed);
    log(formatSearchTerms(terms, options.termsSeed));

    const outcomes: ScenarioOutcome[] = [];
    const memory: ServerMemory[] = [];
    const firstRequests: FirstRequestOutcome[] = [];
    const costly: FirstRequestOutcome[] = [];
    const writes: WritesOutcome[] = [];
    const measure = async (scenario: Scenario, baseUrl: string, pid: number, pools: RequestPools) => {
      const paths = scenario.paths(pools);
      const times = options.repeat > 1 ? `${options.repeat} × ` : '';
      log(
        `  ${scenario.id}: ${scenario.connections} connections, ${times}${options.durationSeconds} s (+${options.warmupSeconds} s warm-up), ${paths.length} distinct request(s)`,
      );
      const repetitions: LoadResult[] = [];
      for (let i = 0; i < options.repeat; i++) repetitions.push(await runLoad({ baseUrl, paths, serverPid: pid, ...loadTiming(options, scenario) }));
      const anchorRps = outcomes.find((o) => o.id === 'anchor')?.figures.rps;
      outcomes.push(judgeScenario(scenario, repetitions, scenario.id === 'anchor' ? undefined : anchorRps, options.reviews, paths.length));
    };

    const cachedPhase = scenarios.filter((s) => s.server !== 'cache-off');
    if (cachedPhase.length > 0) {
      const service = track(await startService(serviceOptions(options, stamp, true)));
      // *.tmp in the results folder: ignored by git, removed when the anchor stops
      const fixtureFile = path.join(options.resultsDir, `${stamp}-anchor-fixture.tmp`);
      const { bytes } = await captureAnchorFixture(service.baseUrl, '/v1/content', fixtureFile);
      const anchor = track(
        await startNodeChild({
          name: 'anchor',
          script: path.join('bench', 'processes', 'anchor-server.ts'),
          args: [fixtureFile],
          env: {},
          readyPath: '/',
          logFile: path.join(options.resultsDir, `${stamp}-anchor.log`),
        }),
      );
      log(`cache-on service pid ${service.pid}, anchor pid ${anchor.pid} (replaying a ${bytes}-byte GET /v1/content)`);
      for (const scenario of cachedPhase) {
        const server = scenario.server === 'anchor' ? anchor : service;
        await measure(scenario, server.baseUrl, server.pid, NO_POOLS);
      }
      await stop(anchor);
      rmSync(fixtureFile, { force: true });
      memory.push(judgeMemory('cache-on', await stop(service), maxSampled(outcomes, 'cache-on'), options.server));
    }

    const uncachedPhase = scenarios.filter((s) => s.server === 'cache-off');
    if (uncachedPhase.length > 0) {
      const catalog = await readCatalogValues(knex);
      // a fresh process: the cold rows time its first requests before pools, preflight or any warm-up reach it
      const service = track(await startService(serviceOptions(options, stamp, false)));
      log(`cache-off service pid ${service.pid}`);
      if (uncachedPhase.some((s) => s.id.startsWith('search-'))) {
        const timed = await timeFirstRequests(service.baseUrl, coldStartRequests(terms, catalog, options.termsSeed));
        firstRequests.push(...timed.map(judgeFirstRequest));
        log(`  cold, first request after start: ${firstRequests.map((f) => `${f.kind} ${f.ms} ms`).join(', ')}`);
      }
      log('  building request pools');
      const pools = await buildRequestPools(knex, service.baseUrl, catalog, buildSearchPools(terms, catalog, options.termsSeed), marker.published);
      for (const scenario of uncachedPhase) await preflight(service.baseUrl, scenario.id, scenario.paths(pools), log);
      for (const scenario of uncachedPhase) await measure(scenario, service.baseUrl, service.pid, pools);
      // after the load, which they would disturb: each holds a connection for up to the read timeout
      if (uncachedPhase.some((s) => s.id.startsWith('search-'))) {
        costly.push(...(await timeFirstRequests(service.baseUrl, costlySearches(terms, catalog))).map(reportCostlySearch));
      }
      memory.push(judgeMemory('cache-off', await stop(service), maxSampled(outcomes, 'cache-off'), options.server));
      if (options.writes > 0) {
        // a process of their own: the writer's sign-in (argon2) would count in the read service's peak RSS
        const writer = track(
          await startService({
            ...serviceOptions(options, stamp, false),
            extraEnv: { ...WRITER_ENV, ...options.serverEnv },
            logFile: path.join(options.resultsDir, `${stamp}-writes.log`),
          }),
        );
        log(`  editor writes: ${options.writes} reviews published one at a time (service pid ${writer.pid}), deleted after`);
        const judged = judgeEditorWrites(await timeEditorWrites(writer.baseUrl, knex, options.writes, marker.published));
        if (judged) writes.push(judged);
        await stop(writer);
      }
    }

    log('');
    log(formatSearchPools(terms, options.termsSeed));
    log(formatTable(outcomes, memory, options.reviews, firstRequests, costly, writes));
    const met = allTargetsMet(outcomes, memory, [...firstRequests, ...costly, ...writes]);
    const file = writeResults(options.resultsDir, stamp, {
      meta,
      options: { ...options, databaseUrl: redact(options.databaseUrl) },
      // markers seeded by earlier versions still hold terms drawn at seeding: this run's replace them
      corpus: { ...marker, reused, termsSeed: options.termsSeed, terms },
      scenarios: outcomes,
      firstRequests,
      costlySearches: costly,
      editorWrites: writes,
      memory,
      allTargetsMet: met,
    });
    log(`\nresults: ${file}`);
    return options.strict && !met ? 2 : 0;
  } finally {
    await knex.destroy();
  }
}

/** The cache-on scenarios send fixed paths: no pools to draw from. */
const NO_POOLS: RequestPools = {
  list: [],
  slugs: [],
  searchNewest: [],
  searchRelevance: [],
  searchFilteredNewest: [],
  searchFilteredRelevance: [],
  compare: [],
};

/** The anchor always runs with the cached read: the cached target is a ratio to it. */
function selectScenarios(only: string[] | undefined): Scenario[] {
  if (!only) return SCENARIOS;
  const unknown = only.filter((id) => !SCENARIOS.some((s) => s.id === id));
  if (unknown.length > 0) throw new Error(`--only: unknown scenario(s) ${unknown.join(', ')}; known: ${SCENARIOS.map((s) => s.id).join(', ')}`);
  const wanted = new Set(only.includes('cached-list') ? [...only, 'anchor'] : only);
  return SCENARIOS.filter((s) => wanted.has(s.id));
}

function loadTiming(options: BenchOptions, scenario: Scenario) {
  return { connections: scenario.connections, durationSeconds: options.durationSeconds, warmupSeconds: options.warmupSeconds };
}

function serviceOptions(options: BenchOptions, stamp: string, readCache: boolean) {
  const role = readCache ? 'cache-on' : 'cache-off';
  return {
    build: options.server,
    databaseUrl: options.databaseUrl,
    schema: options.schema,
    readCache,
    extraEnv: options.serverEnv,
    logFile: path.join(options.resultsDir, `${stamp}-${role}.log`),
  };
}

function maxSampled(outcomes: ScenarioOutcome[], role: string): number | undefined {
  const values = outcomes.filter((o) => o.server === role).map((o) => o.figures.serverRssMaxMb ?? 0);
  return values.length > 0 ? Math.max(...values) : undefined;
}

function describeCorpus(marker: CorpusMarker): string {
  return `  ${marker.published.toLocaleString('en')} published of ${marker.reviews.toLocaleString('en')} reviews, ${marker.products} products, ${marker.editors} editors`;
}

/** The server's version and the settings that decide how much of the corpus is read from memory. */
async function postgresSettings(knex: Knex): Promise<Record<string, string>> {
  const names = ['server_version', 'shared_buffers', 'effective_cache_size', 'work_mem', 'max_connections'];
  const { rows } = await knex.raw<{ rows: { name: string; setting: string }[] }>(
    `select name, current_setting(name) as setting from unnest(?::text[]) as name`,
    [names],
  );
  return Object.fromEntries(rows.map((r) => [r.name, r.setting]));
}

function track(child: RunningChild): RunningChild {
  running.add(child);
  return child;
}

async function stop(child: RunningChild): Promise<number | undefined> {
  running.delete(child);
  return child.stop();
}

function redact(url: string): string {
  return url.replace(/\/\/([^:@/]*):[^@/]*@/, '//$1:***@');
}

async function stopAll(): Promise<void> {
  await Promise.all([...running].map((child) => stop(child)));
}

process.on('SIGINT', () => void stopAll().then(() => process.exit(130)));

main()
  .then(async (code) => {
    await stopAll();
    process.exit(code);
  })
  .catch(async (error: unknown) => {
    process.stderr.write(`bench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    await stopAll();
    process.exit(1);
  });
