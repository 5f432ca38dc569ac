// Fails when a generated file is not exactly what openapi-typescript makes of the current contract:
// the server's types (generated/) and the SDK's own copy inside its package (sdk/src/generated/).
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const TARGETS = [
  { file: 'generated/reviews.ts', args: [] },
  // A request member with a default may be left out by a caller: optional in the SDK's types.
  { file: 'sdk/src/generated/reviews.ts', args: ['--default-non-nullable=false'] },
];

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'rcr-gen-'));
try {
  const stale = TARGETS.filter(({ file, args }, i) => {
    const fresh = path.join(tmp, `${i}.ts`);
    execFileSync('npx', ['openapi-typescript', 'openapi/reviews.yaml', ...args, '-o', fresh], { stdio: ['ignore', 'ignore', 'inherit'] });
    return !fs.existsSync(file) || fs.readFileSync(fresh, 'utf8') !== fs.readFileSync(file, 'utf8');
  });
  if (stale.length > 0) {
    console.error(`${stale.map((t) => t.file).join(', ')} stale: run \`npm run generate\` and commit the result.`);
    process.exit(1);
  }
  console.log(`${TARGETS.map((t) => t.file).join(' and ')} match openapi/reviews.yaml`);
} finally {
  fs.rmSync(tmp, { recursive: true, force: true });
}
