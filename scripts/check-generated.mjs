// Fails when a generated file is not exactly what openapi-typescript makes of the current contract:
// the server's types (generated/) and the SDK's copy inside its package (sdk/src/generated/).
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const TARGETS = ['generated/reviews.ts', 'sdk/src/generated/reviews.ts'];

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'rcr-gen-'));
try {
  const fresh = path.join(tmp, 'reviews.ts');
  execFileSync('npx', ['openapi-typescript', 'openapi/reviews.yaml', '-o', fresh], { stdio: ['ignore', 'ignore', 'inherit'] });
  const expected = fs.readFileSync(fresh, 'utf8');
  const stale = TARGETS.filter((target) => !fs.existsSync(target) || fs.readFileSync(target, 'utf8') !== expected);
  if (stale.length > 0) {
    console.error(`${stale.join(', ')} stale: run \`npm run generate\` and commit the result.`);
    process.exit(1);
  }
  console.log(`${TARGETS.join(' and ')} match openapi/reviews.yaml`);
} finally {
  fs.rmSync(tmp, { recursive: true, force: true });
}
