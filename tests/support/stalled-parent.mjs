// A parent as test harnesses, process managers and dev watchers are: it starts the service with its
// stdout and stderr piped to itself, in a process group of its own; signs in and posts one review; then
// stops reading those pipes for good, has the service log until they are full (requests for long unknown
// paths: each 404 logs its path), sends SIGTERM to the group and prints the service's pid. It stays alive,
// never reading again, until it is killed.
// Env: the service's environment, plus PARENT_EMAIL and PARENT_PASSWORD of an editor who may post.
import { spawn } from 'node:child_process';

// with this process's own node flags (runNode's, tests/support/server-process.ts)
const service = spawn(process.execPath, [...process.execArgv, '--import', 'tsx', 'src/server.ts'], { stdio: 'pipe', detached: true });
let output = '';
const baseUrl = await new Promise((resolve, reject) => {
  const onData = (chunk) => {
    output += chunk;
    const listening = /"msg":"listening"/.test(output) && /"url":"(http:\/\/[^"]+)"/.exec(output);
    if (listening) resolve(listening[1].replace('localhost', '127.0.0.1'));
  };
  service.stdout.on('data', onData);
  service.stderr.on('data', onData);
  service.on('exit', (code) => reject(new Error(`the service exited (${code}) before listening:\n${output}`)));
});
const json = { 'content-type': 'application/json' };
const signIn = await fetch(`${baseUrl}/v1/auth/login`, {
  method: 'POST',
  headers: json,
  body: JSON.stringify({ email: process.env.PARENT_EMAIL, password: process.env.PARENT_PASSWORD }),
});
const { access_token: token } = await signIn.json();
const { items } = await (await fetch(`${baseUrl}/v1/products?limit=1`)).json();
const post = await fetch(`${baseUrl}/v1/reviews`, {
  method: 'POST',
  headers: { ...json, authorization: `Bearer ${token}`, 'idempotency-key': `stalled-parent-${process.pid}` },
  body: JSON.stringify({
    product_id: items[0].id,
    title: 'Posted before an abrupt stop',
    summary: 'A short summary.',
    body: 'Body.',
    pros: [],
    cons: [],
    verdict_score: 7,
    images: [],
    status: 'published',
  }),
});
if (post.status !== 201) throw new Error(`the post answered ${post.status}: ${await post.text()}`);

for (const stream of [service.stdout, service.stderr]) {
  stream.removeAllListeners('data');
  stream.pause();
}
// ~8 KB logged per request: 128 of them are 1 MiB, more than a pipe or socket buffer holds
const longPath = `/v1/no-such-route/${'x'.repeat(8000)}`;
for (let i = 0; i < 128; i++) await fetch(`${baseUrl}${longPath}`).then((res) => res.arrayBuffer());
process.kill(-service.pid, 'SIGTERM');
process.stdout.write(`${service.pid}\n`);
setInterval(() => {}, 60_000); // alive and not reading, until killed
