// Fails when generated/ is not exactly what openapi-typescript makes of the current contract.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'rcr-gen-'));
try {
  const fresh = path.join(tmp, 'reviews.ts');
  execFileSync('npx', ['openapi-typescript', 'openapi/reviews.yaml', '-o', fresh], { stdio: ['ignore', 'ignore', 'inherit'] });
  if (fs.readFileSync(fresh, 'utf8') !== fs.readFileSync('generated/reviews.ts', 'utf8')) {
    console.error('generated/reviews.ts is stale: run `npm run generate` and commit the result.');
    process.exit(1);
  }
  console.log('generated/ matches openapi/reviews.yaml');
} finally {
  fs.rmSync(tmp, { recursive: true, force: true });
}
