import { randomInt } from 'node:crypto';
import { loadContract } from '../../src/http/contract.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { loadFuzzOperations, type FuzzOperation } from './contract-operations.js';
import { fuzzOperation, type CampaignSettings, type Outcome } from './fuzz-campaign.js';
import { buildWorld } from './fuzz-world.js';

// Spec-driven fuzzing of every operation of openapi/reviews.yaml against the real app and database:
// requests generated from the contract's schemas, with hostile values mixed in. Each answer must be
// documented for its operation, valid against the contract, never 5xx, a documented 4xx when the
// request breaks the contract; a refused write must change nothing.
//
//   FUZZ_SEED       campaign seed (default: a fixed one, so CI is repeatable; `random` for a new one)
//   FUZZ_RUNS       requests per /v1 operation (default 250; the five root operations get a fifth)
//   FUZZ_OPERATION  fuzz this operation only;  FUZZ_PATH  replay a failure's path (printed with it)

const DEFAULT_SEED = 20261206;
const SEED = process.env.FUZZ_SEED === 'random' ? randomInt(2 ** 31 - 1) : Number(process.env.FUZZ_SEED ?? DEFAULT_SEED);
const RUNS = Number(process.env.FUZZ_RUNS ?? 250);
const ONLY = process.env.FUZZ_OPERATION;
/** Requests in flight at once: the writes one after another (so a table snapshot means something), the reads beside them. */
const READ_STREAMS = 3;

const operationIds = Object.values(loadContract().paths)
  .flatMap((item) => Object.values(item).map((op) => (op as { operationId?: string }).operationId))
  .filter((id): id is string => typeof id === 'string' && (!ONLY || id === ONLY));

let app: TestApp;
const outcomes = new Map<string, Outcome>();

beforeAll(async () => {
  const started = Date.now();
  app = await startTestApp();
  const world = await buildWorld(app);
  const operations = (await loadFuzzOperations()).filter((op) => operationIds.includes(op.operationId));
  const settings = (op: FuzzOperation): CampaignSettings => ({
    baseUrl: app.baseUrl,
    world,
    seed: SEED,
    numRuns: op.path.startsWith('/v1/') ? RUNS : Math.ceil(RUNS / 5),
    ...(process.env.FUZZ_PATH && { path: process.env.FUZZ_PATH }),
  });
  const run = async (queue: FuzzOperation[]) => {
    for (let op = queue.shift(); op; op = queue.shift()) outcomes.set(op.operationId, await fuzzOperation(op, settings(op)));
  };
  const reads = operations.filter((op) => op.method === 'get');
  await Promise.all([run(operations.filter((op) => op.method !== 'get')), ...Array.from({ length: READ_STREAMS }, () => run(reads))]);
  const requests = [...outcomes.values()].reduce((sum, o) => sum + o.requests, 0);
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  process.stdout.write(`\ncontract fuzzing: seed ${SEED}, ${requests} requests over ${outcomes.size} operations in ${seconds} s\n`);
  for (const o of outcomes.values()) process.stdout.write(`  ${o.operationId.padEnd(20)} ${String(o.requests).padStart(5)}  ${JSON.stringify(o.statuses)}\n`);
}, 600_000);

afterAll(async () => {
  await app?.close();
});

describe('contract fuzzing (FUZZ_SEED, FUZZ_RUNS, FUZZ_OPERATION, FUZZ_PATH)', () => {
  test.each(operationIds)(
    'when %s gets requests generated from the contract, hostile values included, then every answer is documented and valid, a documented 4xx for a request that breaks the contract, never a 5xx, and a refused write changes nothing',
    (operationId) => {
      const outcome = outcomes.get(operationId);
      expect(outcome?.requests).toBeGreaterThan(0);
      if (outcome?.failure) throw new Error(`seed ${SEED}\n${outcome.failure}`);
    },
  );
});
