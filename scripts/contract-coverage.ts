import fs from 'node:fs';
import { parse } from 'yaml';
import { loadContract } from '../src/http/contract.js';
import { readContractCoverage } from '../tests/support/contract-coverage.js';
import { documentedOperations, formatReport, gatePasses, summarize, type Exclusion } from '../tests/support/contract-coverage-report.js';

// `npm run contract:coverage`, after `npm test`: which documented (operation, status) pairs the tests made
// the real app answer. Fails when one never was (unless openapi/coverage-exclusions.yaml says why),
// when an answered status or body is not the contract's, or when an exclusion is no longer true.

const EXCLUSIONS = new URL('../openapi/coverage-exclusions.yaml', import.meta.url);

const records = readContractCoverage();
if (records.length === 0) {
  process.stderr.write('contract coverage: no answers recorded; run the tests first (npm test)\n');
  process.exit(1);
}
const exclusions = ((parse(fs.readFileSync(EXCLUSIONS, 'utf8')) as { exclusions?: Exclusion[] } | null)?.exclusions ?? []).map((e) => ({
  ...e,
  status: String(e.status),
}));
const summary = summarize(documentedOperations(loadContract()), records, exclusions);
process.stdout.write(`${formatReport(summary)}\n`);
process.exit(gatePasses(summary) ? 0 : 1);
