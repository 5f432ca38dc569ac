import { apiOperations, HTTP_METHODS, type OpenApiDocument } from '../../src/http/contract.js';

// Which (operation, status) pairs the contract documents, and how a test run's answers cover them.
// Pure: tests/support/contract-coverage.ts records the answers, scripts/contract-coverage.ts prints this.

export type DocumentedOperation = {
  operationId: string;
  method: string;
  /** As served: `/v1/reviews/{reviewId}`, `/livez`. */
  path: string;
  statuses: string[];
};

/** One answer the app gave during the tests; `operationId` null when no operation matched the request. */
export type CoverageRecord = {
  operationId: string | null;
  method: string;
  status: number;
  /** Where the answer broke the contract (undocumented media type, body against its schema); empty when it conformed. */
  problems: string[];
  /** The request path, only when no operation matched (for the report's "outside the contract" line). */
  path?: string;
};

export type Exclusion = { operationId: string; status: string; reason: string };

export type CoverageSummary = {
  rows: { operation: DocumentedOperation; exercised: string[]; missing: string[]; excluded: string[] }[];
  documented: number;
  exercised: number;
  /** Documented pairs never answered, and not excluded: each fails the gate. */
  missing: string[];
  /** Answered statuses the contract does not document for the operation: each fails the gate. */
  undocumented: string[];
  /** Answers whose media type or body broke the contract: each fails the gate. */
  nonconforming: string[];
  /** Exclusions of pairs that were exercised after all or are not documented: each fails the gate (keep the file true). */
  staleExclusions: string[];
  excluded: number;
  outsideContract: string[];
};

/** Every operation of the contract, /v1 and ops paths (served at the root) alike. */
export function documentedOperations(doc: OpenApiDocument): DocumentedOperation[] {
  const statusesOf = (path: string, method: string) =>
    Object.keys(((doc.paths[path]?.[method] as { responses?: Record<string, unknown> }) ?? {}).responses ?? {});
  const v1 = apiOperations(doc).map((op) => {
    const path = op.expressPath.replace(/:(\w+)/g, '{$1}');
    return { operationId: op.operationId, method: op.method.toUpperCase(), path: `/v1${path}`, statuses: statusesOf(path, op.method) };
  });
  const ops = Object.entries(doc.paths)
    .filter(([, item]) => item.servers)
    .flatMap(([path, item]) =>
      HTTP_METHODS.filter((m) => item[m]).map((m) => ({
        operationId: (item[m] as { operationId: string }).operationId,
        method: m.toUpperCase(),
        path,
        statuses: statusesOf(path, m),
      })),
    );
  return [...v1, ...ops];
}

const pair = (operationId: string, status: string | number) => `${operationId} ${status}`;

export function summarize(operations: DocumentedOperation[], records: CoverageRecord[], exclusions: Exclusion[]): CoverageSummary {
  const answered = new Set(records.filter((r) => r.operationId).map((r) => pair(r.operationId as string, r.status)));
  const excludedPairs = new Set(exclusions.map((e) => pair(e.operationId, e.status)));
  const documentedPairs = new Set(operations.flatMap((op) => op.statuses.map((s) => pair(op.operationId, s))));
  const byId = new Map(operations.map((op) => [op.operationId, op]));

  const rows = operations.map((operation) => {
    const exercised = operation.statuses.filter((s) => answered.has(pair(operation.operationId, s)));
    const excluded = operation.statuses.filter((s) => !exercised.includes(s) && excludedPairs.has(pair(operation.operationId, s)));
    const missing = operation.statuses.filter((s) => !exercised.includes(s) && !excluded.includes(s));
    return { operation, exercised, missing, excluded };
  });

  const undocumented = new Set<string>();
  const nonconforming = new Set<string>();
  const outside = new Set<string>();
  for (const record of records) {
    const operation = record.operationId ? byId.get(record.operationId) : undefined;
    if (!operation) outside.add(`${record.method} ${record.path ?? '?'} ${record.status}`);
    else if (!operation.statuses.includes(String(record.status))) undocumented.add(pair(operation.operationId, record.status));
    else for (const problem of record.problems) nonconforming.add(`${pair(operation.operationId, record.status)}: ${problem}`);
  }

  return {
    rows,
    documented: documentedPairs.size,
    exercised: rows.reduce((n, row) => n + row.exercised.length, 0),
    missing: rows.flatMap((row) => row.missing.map((s) => pair(row.operation.operationId, s))),
    undocumented: [...undocumented].sort(),
    nonconforming: [...nonconforming].sort(),
    staleExclusions: exclusions
      .map((e) => pair(e.operationId, e.status))
      .filter((p) => !documentedPairs.has(p) || answered.has(p))
      .sort(),
    excluded: rows.reduce((n, row) => n + row.excluded.length, 0),
    outsideContract: [...outside].sort(),
  };
}

/** The gate passes only with nothing missing, undocumented, nonconforming or stale. */
export function gatePasses(summary: CoverageSummary): boolean {
  return [summary.missing, summary.undocumented, summary.nonconforming, summary.staleExclusions].every((list) => list.length === 0);
}

export function formatReport(summary: CoverageSummary): string {
  const width = Math.max(...summary.rows.map((row) => `${row.operation.method} ${row.operation.path}`.length));
  const lines = ['Contract coverage: operation × documented status (✓ answered in the tests, ✗ never, – excluded)', ''];
  for (const { operation, exercised, excluded } of summary.rows) {
    const cells = operation.statuses.map((s) => `${s}${exercised.includes(s) ? '✓' : excluded.includes(s) ? '–' : '✗'}`);
    lines.push(`${`${operation.method} ${operation.path}`.padEnd(width)}  ${operation.operationId.padEnd(20)} ${cells.join(' ')}`);
  }
  const percent = summary.documented === 0 ? 0 : (100 * summary.exercised) / summary.documented;
  lines.push(
    '',
    `exercised ${summary.exercised} of ${summary.documented} documented pairs (${percent.toFixed(1)}%); excluded ${summary.excluded}; missing ${summary.missing.length}`,
  );
  const section = (title: string, items: string[]) => {
    if (items.length > 0) lines.push('', `${title} (${items.length}):`, ...items.map((item) => `  ${item}`));
  };
  section('MISSING: documented, never answered, not excluded', summary.missing);
  section('UNDOCUMENTED: answered, but not in the contract for that operation', summary.undocumented);
  section('NONCONFORMING: answered with a media type or body the contract does not allow', summary.nonconforming);
  section('STALE EXCLUSIONS: excluded, but answered after all or not documented', summary.staleExclusions);
  section('outside the contract (no operation; for information)', summary.outsideContract);
  return lines.join('\n');
}
