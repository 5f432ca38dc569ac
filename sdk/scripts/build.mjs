// Builds dist/esm (ES modules) and dist/cjs (CommonJS) from the same sources, each with its
// declarations; dist/cjs/package.json makes Node and TypeScript read that folder as CommonJS.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.join(path.dirname(fileURLToPath(import.meta.url)), '..');
const tsc = (project) => execFileSync(process.execPath, [resolveTsc(), '-p', project], { cwd: root, stdio: 'inherit' });

fs.rmSync(path.join(root, 'dist'), { recursive: true, force: true });
tsc('tsconfig.json');
tsc('tsconfig.cjs.json');
fs.writeFileSync(path.join(root, 'dist/cjs/package.json'), `${JSON.stringify({ type: 'commonjs' }, null, 2)}\n`);
console.log('built dist/esm and dist/cjs');

function resolveTsc() {
  return fileURLToPath(import.meta.resolve('typescript/bin/tsc'));
}
