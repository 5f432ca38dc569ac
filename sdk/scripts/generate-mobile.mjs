// `npm run sdk:mobile`: Kotlin and Swift clients from the contract with openapi-generator
// (configured in mobile/openapitools.json). It runs on Java and downloads its JAR from Maven
// Central on first use, so it works only where both are available; it is not part of CI.
// Either failure ends with one clear message rather than the wrapper's stack trace.
import { spawn, spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const WRAPPER = '@openapitools/openapi-generator-cli@2.35.0'; // the last release that runs on Node 20
const TIME_LIMIT_MS = 10 * 60_000;
const mobile = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'mobile');

function fail(message) {
  console.error(`\nsdk:mobile: ${message}\n`);
  process.exit(1);
}

if (spawnSync('java', ['-version'], { stdio: 'ignore' }).error) {
  fail('Java is not installed. The Kotlin and Swift clients need Java 11+ and access to Maven Central; generate them on a machine that has both.');
}

let output = '';
// The wrapper reads openapitools.json from $PWD, and npx would run it from the nearest package.json
// (sdk/): a shell that cds into mobile/ first sets PWD right.
const generator = spawn('npx', ['--yes', '--package', WRAPPER, '--call', 'cd "$MOBILE_DIR" && openapi-generator-cli generate'], {
  env: { ...process.env, MOBILE_DIR: mobile },
});
const timer = setTimeout(() => generator.kill('SIGTERM'), TIME_LIMIT_MS);
for (const stream of [generator.stdout, generator.stderr]) stream.on('data', (chunk) => (output += chunk));
generator.on('exit', (code) => {
  clearTimeout(timer);
  if (code === 0) {
    console.log(output);
    console.log(`Kotlin client in ${path.join(mobile, 'kotlin')}, Swift client in ${path.join(mobile, 'swift')}`);
    return;
  }
  if (/ENOTFOUND|EAI_AGAIN|ECONNREFUSED|ETIMEDOUT|ECONNRESET|maven|jarfile/i.test(output)) {
    fail(
      'openapi-generator could not download its JAR from Maven Central (unreachable from this machine). ' +
        'Run `npm run sdk:mobile` where Java and Maven Central are available; the mobile clients are not built in CI.',
    );
  }
  fail(`openapi-generator failed (exit ${code ?? 'timeout'}). Its last lines:\n${output.trim().split('\n').slice(-15).join('\n')}`);
});
