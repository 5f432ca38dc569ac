import { RSS_TARGET_MB } from '../scenarios.js';
import type { ScenarioOutcome, ServerMemory } from './evaluate.js';

type Column = { title: string; align: 'left' | 'right'; value: (o: ScenarioOutcome) => string };

const ms = (value: number) => value.toFixed(value < 10 ? 2 : 1);
/** 1000000 → "1M", as the targets are written. */
const compact = (reviews: number | undefined) => (reviews === undefined ? '?' : new Intl.NumberFormat('en', { notation: 'compact' }).format(reviews));

const COLUMNS: Column[] = [
  { title: 'scenario', align: 'left', value: (o) => o.id },
  { title: 'conns', align: 'right', value: (o) => String(o.connections) },
  { title: 'req/s', align: 'right', value: (o) => String(o.load.rps) },
  // how many latencies the percentiles rest on: a p99 of 70 requests is one slow answer
  { title: 'requests', align: 'right', value: (o) => String(o.load.requests) },
  { title: 'p50 ms', align: 'right', value: (o) => ms(o.load.latencyMs.p50) },
  { title: 'p99 ms', align: 'right', value: (o) => ms(o.load.latencyMs.p99) },
  { title: 'vs anchor', align: 'right', value: (o) => (o.anchorRatio === undefined ? '' : `${(o.anchorRatio * 100).toFixed(1)}%`) },
  { title: 'non-2xx/err', align: 'right', value: (o) => `${o.load.non2xx}/${o.load.errors}` },
  { title: 'target', align: 'left', value: (o) => o.target ?? '(reference)' },
  { title: 'result', align: 'left', value: (o) => (o.verdict === 'indicative' ? `indicative, target applies at ${compact(o.targetReviews)}` : o.verdict) },
];

/** The human summary; the JSON file has every figure behind it. */
export function formatTable(outcomes: ScenarioOutcome[], memory: ServerMemory[], reviews: number): string {
  const rows = outcomes.map((o) => COLUMNS.map((c) => c.value(o)));
  const widths = COLUMNS.map((c, i) => Math.max(c.title.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) =>
    cells
      .map((cell, i) => (COLUMNS[i]?.align === 'right' ? cell.padStart(widths[i] ?? 0) : cell.padEnd(widths[i] ?? 0)))
      .join('  ')
      .trimEnd();
  const out = [line(COLUMNS.map((c) => c.title)), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line), ''];
  for (const m of memory) {
    const peak = m.peakRssMb === undefined ? 'n/a' : `${m.peakRssMb} MB`;
    const sampled = m.sampledMaxRssMb === undefined ? '' : ` (max sampled under load ${m.sampledMaxRssMb} MB)`;
    out.push(`peak RSS, ${m.role} server: ${peak}${sampled}  target ≤ ${RSS_TARGET_MB} MB: ${m.verdict}${m.note ? ` (${m.note})` : ''}`);
  }
  for (const o of outcomes) if (o.note) out.push(`${o.verdict} ${o.id}: ${o.note}`);
  if (outcomes.some((o) => o.verdict === 'indicative')) {
    out.push(`indicative: the target is set for another corpus size; this corpus has ${reviews.toLocaleString('en')} reviews, so the figures only indicate.`);
  }
  return out.join('\n');
}
