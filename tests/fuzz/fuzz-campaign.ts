import { Agent, request as httpRequest } from 'node:http';
import fc from 'fast-check';
import type { FuzzOperation } from './contract-operations.js';
import { render, requestArbitrary, type RenderedRequest } from './fuzz-requests.js';
import type { World } from './fuzz-world.js';
import { contractViolations } from './request-validity.js';
import { answerViolations, type HttpAnswer } from './response-conformance.js';

// One fast-check property per operation: every generated request is sent to the real app and its
// answer checked against the contract; a refused write must leave the tables as they were.

export type Outcome = { operationId: string; requests: number; statuses: Record<number, number>; seconds: number; failure?: string };
export type CampaignSettings = {
  baseUrl: string;
  world: World;
  seed: number;
  numRuns: number;
  path?: string;
  /** The snapshot members a refused write of this operation must leave alone (its write stream's tables). */
  watched: readonly string[];
};

class ContractBreach extends Error {
  constructor(
    readonly problems: string[],
    readonly sent: RenderedRequest,
    readonly answer: HttpAnswer,
  ) {
    super(problems.join('\n'));
  }
}

const agent = new Agent({ keepAlive: true, maxSockets: 8 });

export function send(baseUrl: string, req: RenderedRequest): Promise<HttpAnswer> {
  const { hostname, port } = new URL(baseUrl);
  const headers = { ...req.headers, ...(req.body !== undefined && { 'Content-Length': String(Buffer.byteLength(req.body)) }) };
  return new Promise((resolve, reject) => {
    const outgoing = httpRequest({ host: hostname, port, method: req.method, path: req.url, headers, agent }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, text: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    outgoing.on('error', reject);
    outgoing.end(req.body);
  });
}

/** The seed of one operation's property: the campaign seed and the operation's name, so one operation can be replayed alone. */
export function operationSeed(seed: number, operationId: string): number {
  let hash = 0x811c9dc5;
  for (const char of operationId) hash = Math.imul(hash ^ (char.codePointAt(0) as number), 0x01000193);
  return (seed ^ hash) | 0;
}

export async function fuzzOperation(op: FuzzOperation, settings: CampaignSettings): Promise<Outcome> {
  const { baseUrl, world } = settings;
  const pools = world.pools(op.operationId);
  const started = Date.now();
  const outcome: Outcome = { operationId: op.operationId, requests: 0, statuses: {}, seconds: 0 };
  const isWrite = op.method !== 'get';
  const property = fc.asyncProperty(requestArbitrary(op, pools), async (generated) => {
    const sent = render(op, generated, world, pools);
    const violations = contractViolations(op, generated, sent);
    const before = isWrite ? await world.snapshot(settings.watched) : undefined;
    const answer = await send(baseUrl, sent);
    outcome.requests += 1;
    outcome.statuses[answer.status] = (outcome.statuses[answer.status] ?? 0) + 1;
    const problems = answerViolations(op, sent.method, answer, violations);
    if (before && answer.status >= 400 && answer.status < 500)
      problems.push(...unchanged(op, settings.watched, before, await world.snapshot(settings.watched)));
    if (op.operationId === 'changeOwnPassword' && answer.status === 204) world.onPasswordChanged(JSON.parse(sent.body ?? '{}').new_password);
    if (problems.length > 0) throw new ContractBreach(problems, sent, answer);
  });
  const seed = operationSeed(settings.seed, op.operationId);
  const details = await fc.check(property, { seed, numRuns: settings.numRuns, ...(settings.path && { path: settings.path }) });
  if (details.failed) outcome.failure = failureReport(op, settings.seed, details);
  outcome.seconds = (Date.now() - started) / 1000;
  return outcome;
}

function unchanged(op: FuzzOperation, watched: readonly string[], before: Record<string, unknown>, after: Record<string, unknown>): string[] {
  // a refresh token sent again is refused and, as documented, revokes its whole sign-in
  const documentedEffects = op.operationId === 'refreshToken' ? ['refresh_tokens_spent'] : [];
  const changed = watched.filter((key) => !documentedEffects.includes(key) && before[key] !== after[key]);
  return changed.length ? [`a refused write changed stored data: ${changed.map((k) => `${k} ${String(before[k])} → ${String(after[k])}`).join(', ')}`] : [];
}

function failureReport<T>(op: FuzzOperation, campaignSeed: number, details: fc.RunDetails<T>): string {
  const breach = details.errorInstance instanceof ContractBreach ? details.errorInstance : undefined;
  const lines = [
    `${op.operationId} (${op.method.toUpperCase()} ${op.path}) broke the contract after ${details.numRuns} run(s), shrunk ${details.numShrinks} time(s).`,
    `Replay: FUZZ_SEED=${campaignSeed} FUZZ_OPERATION=${op.operationId} FUZZ_PATH=${details.counterexamplePath} npm run test:fuzz`,
    `(fast-check seed ${details.seed}, path ${details.counterexamplePath})`,
  ];
  if (!breach) return [...lines, `error: ${String(details.errorInstance)}`].join('\n');
  const { sent, answer } = breach;
  return [
    ...lines,
    'Problems:',
    ...breach.problems.map((p) => `  - ${p}`),
    'Request (shrunk):',
    `  ${sent.method} ${abbreviate(sent.url)}`,
    ...Object.entries(sent.headers).map(([name, value]) => `  ${name}: ${abbreviate(value)}`),
    ...(sent.body !== undefined ? [`  body: ${abbreviate(JSON.stringify(sent.body))}`] : []),
    'Answer:',
    `  ${answer.status} ${String(answer.headers['content-type'] ?? '')}`,
    `  ${abbreviate(answer.text)}`,
  ].join('\n');
}

const abbreviate = (text: string) => (text.length > 400 ? `${text.slice(0, 300)}… (${text.length} characters)` : text);
