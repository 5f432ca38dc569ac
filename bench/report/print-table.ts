import { RSS_TARGET_MB } from '../scenarios.js';
import type { FirstRequestOutcome, ScenarioOutcome, ServerMemory, WritesOutcome } from './evaluate.js';
import type { Range } from './repetitions.js';

type Column<T> = { title: string; align: 'left' | 'right'; value: (row: T) => string };

const ms = (value: number) => value.toFixed(value < 10 ? 2 : 1);
const span = (range: Range, format: (n: number) => string) => `${format(range.min)}–${format(range.max)}`;

/** With --repeat the figures are medians; the ranges beside them show how far the repetitions spread. */
function scenarioColumns(repeated: boolean): Column<ScenarioOutcome>[] {
  const columns: (Column<ScenarioOutcome> | false)[] = [
    { title: 'scenario', align: 'left', value: (o) => o.id },
    { title: 'conns', align: 'right', value: (o) => String(o.connections) },
    { title: 'req/s', align: 'right', value: (o) => String(o.figures.rps) },
    repeated && { title: 'req/s min–max', align: 'right', value: (o) => span(o.figures.rpsRange, String) },
    // how many latencies the percentiles rest on: a p99 of 70 requests is one slow answer
    { title: 'requests', align: 'right', value: (o) => String(o.figures.requests) },
    { title: 'p50 ms', align: 'right', value: (o) => ms(o.figures.p50) },
    { title: 'p99 ms', align: 'right', value: (o) => ms(o.figures.p99) },
    repeated && { title: 'p99 min–max', align: 'right', value: (o) => span(o.figures.p99Range, ms) },
    { title: 'vs anchor', align: 'right', value: (o) => (o.anchorRatio === undefined ? '' : `${(o.anchorRatio * 100).toFixed(1)}%`) },
    { title: 'non-2xx/err', align: 'right', value: (o) => `${o.figures.non2xx}/${o.figures.errors}` },
    { title: 'target', align: 'left', value: (o) => o.target ?? '(reference)' },
    { title: 'result', align: 'left', value: (o) => o.verdict },
  ];
  return columns.filter((c) => c !== false);
}

const FIRST_REQUEST_COLUMNS: Column<FirstRequestOutcome>[] = [
  { title: 'cold: first request after start', align: 'left', value: (f) => f.kind },
  { title: 'ms', align: 'right', value: (f) => ms(f.ms) },
  { title: 'status', align: 'right', value: (f) => String(f.status) },
  { title: 'target', align: 'left', value: (f) => f.target },
  { title: 'result', align: 'left', value: (f) => f.verdict },
  { title: 'request', align: 'left', value: (f) => f.path },
];

/** The same rows as the cold ones; their target column says they are reported, not judged. */
const COSTLY_SEARCH_COLUMNS: Column<FirstRequestOutcome>[] = FIRST_REQUEST_COLUMNS.map((column, i) =>
  i === 0 ? { ...column, title: 'costly search, once (after the load)' } : column,
);

const WRITES_COLUMNS: Column<WritesOutcome>[] = [
  { title: 'editor writes, one at a time (after the load)', align: 'left', value: (w) => `${w.count} published reviews` },
  { title: 'p50 ms', align: 'right', value: (w) => ms(w.p50) },
  { title: 'p99 ms', align: 'right', value: (w) => ms(w.p99) },
  { title: 'max ms', align: 'right', value: (w) => ms(w.max) },
  {
    title: 'statuses',
    align: 'left',
    value: (w) =>
      Object.entries(w.statuses)
        .map(([status, n]) => `${status}×${n}`)
        .join(' '),
  },
  { title: 'target', align: 'left', value: (w) => w.target },
  { title: 'result', align: 'left', value: (w) => w.verdict },
];

/** The human summary; the JSON file has every figure behind it. */
export function formatTable(
  outcomes: ScenarioOutcome[],
  memory: ServerMemory[],
  reviews: number,
  firstRequests: FirstRequestOutcome[] = [],
  costlySearches: FirstRequestOutcome[] = [],
  writes: WritesOutcome[] = [],
): string {
  const repetitions = Math.max(1, ...outcomes.map((o) => o.figures.repetitions));
  const out = repetitions > 1 ? [`medians of ${repetitions} repetitions, the range of each beside it`] : [];
  out.push(...alignRows(scenarioColumns(repetitions > 1), outcomes), '');
  // one request each, right after the start: their own rows, judged against the read budget
  if (firstRequests.length > 0) out.push(...alignRows(FIRST_REQUEST_COLUMNS, firstRequests), '');
  if (costlySearches.length > 0) out.push(...alignRows(COSTLY_SEARCH_COLUMNS, costlySearches), '');
  if (writes.length > 0) out.push(...alignRows(WRITES_COLUMNS, writes), '');
  for (const m of memory) {
    const peak = m.peakRssMb === undefined ? 'n/a' : `${m.peakRssMb} MB`;
    const sampled = m.sampledMaxRssMb === undefined ? '' : ` (max sampled under load ${m.sampledMaxRssMb} MB)`;
    out.push(`peak RSS, ${m.role} server: ${peak}${sampled}  target ≤ ${RSS_TARGET_MB} MB: ${m.verdict}${m.note ? ` (${m.note})` : ''}`);
  }
  for (const o of outcomes) if (o.note) out.push(`${o.verdict} ${o.id}: ${o.note}`);
  const from = Math.min(...outcomes.flatMap((o) => (o.indicative && o.targetFromReviews !== undefined ? [o.targetFromReviews] : [])));
  if (Number.isFinite(from)) {
    out.push(
      `indicative: targets apply from ${from.toLocaleString('en')} reviews; this corpus has ${reviews.toLocaleString('en')}, so its figures only indicate.`,
    );
  }
  return out.join('\n');
}

function alignRows<T>(columns: Column<T>[], rows: T[]): string[] {
  const cells = rows.map((row) => columns.map((c) => c.value(row)));
  const widths = columns.map((c, i) => Math.max(c.title.length, ...cells.map((r) => (r[i] ?? '').length)));
  const line = (values: string[]) =>
    values
      .map((cell, i) => (columns[i]?.align === 'right' ? cell.padStart(widths[i] ?? 0) : cell.padEnd(widths[i] ?? 0)))
      .join('  ')
      .trimEnd();
  return [line(columns.map((c) => c.title)), line(widths.map((w) => '-'.repeat(w))), ...cells.map(line)];
}
