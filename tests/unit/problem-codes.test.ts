import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, test } from '@jest/globals';
import YAML from 'yaml';
import { BODY_PARSER, VALIDATOR_CODES } from '../../src/http/problem.js';

// One list of problem codes for server and SDK: the contract's `Problem.code` enum. The SDK's
// `ProblemCode` union is generated from it; this test keeps the server's codes equal to it, both
// ways (a code the server raises but the contract does not list, or a listed code nothing raises).

const contract = YAML.parse(fs.readFileSync('openapi/reviews.yaml', 'utf8')) as {
  components: { schemas: { Problem: { properties: { code: { enum: string[] } } } } };
};
const listed = new Set(contract.components.schemas.Problem.properties.code.enum);

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    return entry.isDirectory() ? sourceFiles(full) : full.endsWith('.ts') ? [full] : [];
  });
}

/** Every code the server can answer with: AppError's first argument, and the library errors problem.ts maps. */
function raisedCodes(): Map<string, string[]> {
  const raised = new Map<string, string[]>();
  const add = (code: string, where: string) => raised.set(code, [...(raised.get(code) ?? []), where]);
  for (const file of sourceFiles('src')) {
    for (const match of fs.readFileSync(file, 'utf8').matchAll(/new AppError\(\s*'([a-z_]+)'/g)) add(match[1] as string, file);
  }
  for (const code of Object.values(VALIDATOR_CODES)) add(code, 'src/http/problem.ts VALIDATOR_CODES');
  for (const { code } of Object.values(BODY_PARSER)) add(code, 'src/http/problem.ts BODY_PARSER');
  return raised;
}

describe('the problem codes', () => {
  test('when the server raises a code, then the contract lists it', () => {
    const unlisted = [...raisedCodes()].filter(([code]) => !listed.has(code)).map(([code, where]) => `${code} (${where.join(', ')})`);

    expect(unlisted).toEqual([]);
  });

  test('when the contract lists a code, then the server raises it somewhere', () => {
    const raised = raisedCodes();

    expect([...listed].filter((code) => !raised.has(code))).toEqual([]);
  });

  test('when the SDK is generated, then its Problem code union is the contract list', () => {
    const generated = fs.readFileSync('sdk/src/generated/reviews.ts', 'utf8');
    const union = /code:\s*((?:\s*\|?\s*"[a-z_]+")+);/.exec(generated)?.[1] ?? '';

    expect(new Set([...union.matchAll(/"([a-z_]+)"/g)].map((m) => m[1]))).toEqual(listed);
  });
});
