// `npm run mock`: serves the contract's examples with Prism, at the same /v1 paths as the real API,
// so a frontend switches between mock and server by baseUrl alone. Prism ignores a relative
// `servers` URL, so the paths are prefixed in a copy of the contract given to it.
// MOCK_PORT (default 4010) and MOCK_HOST (default 127.0.0.1) choose where it listens.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import YAML from 'yaml';
import { exitUnlessPortFree } from './lib/port-check.mjs';

const root = path.join(path.dirname(fileURLToPath(import.meta.url)), '..');
const port = process.env.MOCK_PORT || '4010';
const host = process.env.MOCK_HOST || '127.0.0.1';

// Prism answers a bad or taken port with its whole --help: check first, and name the variable.
await exitUnlessPortFree({ variable: 'MOCK_PORT', hostVariable: 'MOCK_HOST', port, host, command: 'npm run mock' });

const contract = YAML.parse(fs.readFileSync(path.join(root, 'openapi/reviews.yaml'), 'utf8'));
const base = contract.servers?.[0]?.url ?? '';
// Operations with servers of their own (/livez, /docs…) stay at the root, as on the real server.
contract.paths = Object.fromEntries(Object.entries(contract.paths).map(([p, item]) => [item.servers ? p : `${base}${p}`, item]));
contract.servers = [{ url: `http://${host}:${port}` }];

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rcr-mock-'));
const spec = path.join(dir, 'reviews.mock.json');
fs.writeFileSync(spec, JSON.stringify(contract));

const require = createRequire(import.meta.url);
const prismPackage = require.resolve('@stoplight/prism-cli/package.json');
const prismBin = path.join(path.dirname(prismPackage), JSON.parse(fs.readFileSync(prismPackage, 'utf8')).bin.prism);
const prism = spawn(process.execPath, [prismBin, 'mock', spec, '--port', port, '--host', host, ...process.argv.slice(2)], { stdio: 'inherit' });
console.log(`Mock API (the contract's examples): http://${host}:${port}${base} — use it as the SDK's baseUrl`);

const cleanUp = () => fs.rmSync(dir, { recursive: true, force: true });
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => prism.kill(signal));
prism.on('exit', (code, signal) => {
  cleanUp();
  process.exit(code ?? (signal ? 1 : 0));
});
