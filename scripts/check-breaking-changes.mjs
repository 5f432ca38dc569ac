// Fails when openapi/reviews.yaml breaks a client of the last released contract: Optic's
// breaking-changes ruleset (a removed operation, response field or status, a new required request
// field or parameter, a narrowed enum or type). A change of info.version's major lets them pass;
// the released copy under openapi/released/ is replaced at that release. Why Optic: docs/adr/0032.
//
//   node scripts/check-breaking-changes.mjs [--base released.yaml] [--head current.yaml]
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const RELEASED_DIR = path.join(root, 'openapi/released');
const OPTIC = path.join(root, 'node_modules/@useoptic/optic/build/index.js');

const majorOf = (version) => Number(String(version).split('.')[0]);
const versionOf = (file) => String(parse(fs.readFileSync(file, 'utf8'))?.info?.version ?? '');

/** The released copy with the highest info.version major (one file per released major). */
function latestReleased() {
  const copies = fs
    .readdirSync(RELEASED_DIR)
    .filter((f) => /\.ya?ml$/.test(f))
    .map((f) => path.join(RELEASED_DIR, f));
  if (copies.length === 0) throw new Error(`No released contract under ${RELEASED_DIR}`);
  return copies.sort((a, b) => majorOf(versionOf(b)) - majorOf(versionOf(a)))[0];
}

function option(name, fallback) {
  const at = process.argv.indexOf(name);
  return at >= 0 && process.argv[at + 1] ? path.resolve(process.argv[at + 1]) : fallback();
}

const base = option('--base', latestReleased);
const head = option('--head', () => path.join(root, 'openapi/reviews.yaml'));
const [from, to] = [versionOf(base), versionOf(head)];
const majorChange = majorOf(to) !== majorOf(from);
console.log(
  `Contract ${path.relative(root, head)} (${to}) against released ${path.relative(root, base)} (${from})` +
    (majorChange ? ': major version changed, breaking changes allowed' : ''),
);

// Telemetry off: CI must not phone home (and cannot: only the npm registry is reachable).
const run = spawnSync(process.execPath, [OPTIC, 'diff', base, head, '--check'], {
  cwd: root,
  env: { ...process.env, OPTIC_TELEMETRY_LEVEL: 'off' },
  encoding: 'utf8',
  maxBuffer: 64 * 1024 * 1024,
});
if (run.error) throw run.error;
process.stderr.write(run.stderr);
if (run.status === 0) {
  // the full changelog is long; on success its summary is enough
  console.log(
    run.stdout
      .split('\n')
      .filter((line) => /Operations:|Checks:/.test(line))
      .join('\n'),
  );
} else {
  process.stdout.write(run.stdout);
  console.error(
    'Breaking change against the released contract. Make it additive (optional fields, new operations), ' +
      "or bump info.version's major and replace the copy under openapi/released/ at the release.",
  );
}
process.exit(run.status ?? 1);
