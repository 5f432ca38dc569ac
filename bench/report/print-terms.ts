import type { MeasuredTerm } from '../corpus/search-terms.js';
import { TERM_BANDS, type Band, type TermKind } from '../corpus/term-bands.js';

/** The drawn terms with their exact match counts, under the bands they were drawn from. */
export function formatSearchTerms(terms: MeasuredTerm[], seed: number): string {
  const bands = (Object.entries(TERM_BANDS) as [TermKind, Band][]).map(([kind, band]) => `${kind} ${bandText(band)}`).join(', ');
  const lines = [
    `  search terms drawn with --terms-seed ${seed} (bands, a word's share of a sample: ${bands}), each with its exact share of published reviews:`,
  ];
  for (const t of terms)
    lines.push(`    ${t.kind.padEnd(8)} ${JSON.stringify(t.query).padEnd(24)} ${String(t.matches).padStart(8)}  ${(t.fraction * 100).toFixed(3)}%`);
  return lines.join('\n');
}

/** What the search-* pools hold, so the report says which kinds of query their figures cover. */
export function formatSearchPools(terms: MeasuredTerm[], seed: number): string {
  const count = (kind: TermKind) => terms.filter((t) => t.kind === kind).length;
  return (
    `search pools: ${count('rare')} rare names, ${count('two-word')} two-word queries, ${count('common')} common words (--terms-seed ${seed}); ` +
    'search-filtered-* send each with a product type, a brand or an editor'
  );
}

/** "≤ 0.5%" or "2%–8%". */
function bandText(band: Band): string {
  const percent = (share: number) => `${Number((share * 100).toFixed(2))}%`;
  return band.min <= Number.MIN_VALUE ? `≤ ${percent(band.max)}` : `${percent(band.min)}–${percent(band.max)}`;
}
