import fs from 'node:fs';
import path from 'node:path';
import { apiOperations, loadContract } from '../../src/http/contract.js';

// Every operation of the contract is served, so every one has its own group of contract tests,
// titled "METHOD /v1/path" as the contract spells the path.

const CONTRACT_TESTS = path.resolve(import.meta.dirname, '../contract');

function describedOperations(): Set<string> {
  const titles = new Set<string>();
  for (const file of fs.readdirSync(CONTRACT_TESTS).filter((f) => f.endsWith('.test.ts'))) {
    const source = fs.readFileSync(path.join(CONTRACT_TESTS, file), 'utf8');
    for (const match of source.matchAll(/^describe\('([A-Z]+ \/v1\/[^']*)'/gm)) titles.add(match[1] as string);
  }
  return titles;
}

describe('contract test coverage', () => {
  test('when the contract lists an operation, then tests/contract has a describe block for it', () => {
    const described = describedOperations();
    const operations = apiOperations(loadContract()).map((op) => `${op.method.toUpperCase()} /v1${op.expressPath.replace(/:(\w+)/g, '{$1}')}`);

    const untested = operations.filter((title) => !described.has(title));

    expect(operations.length).toBeGreaterThanOrEqual(20); // guards against a vacuous pass if no operation were found;
    expect(untested).toEqual([]);
  });
});
