import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { promisify } from 'node:util';
import { stoppable } from './stoppable.js';

// The cluster's own Redis on a free loopback port (never the machine's shared one on 6379):
// rate-limit counters only, nothing persisted, as compose.yaml runs it.

const run = promisify(execFile);

export type OwnRedis = { url: string; stop(): Promise<void>; kill(): void };

export async function startRedis(port: number, dir: string): Promise<OwnRedis> {
  const child: ChildProcess = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir], {
    stdio: 'ignore',
  });
  const deadline = Date.now() + 20_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`redis-server exited with ${child.exitCode} (port ${port} taken?)`);
    const answer = await run('redis-cli', ['-p', String(port), 'ping']).then(
      (r) => r.stdout.trim(),
      () => '',
    );
    if (answer === 'PONG') break;
    if (Date.now() > deadline) throw new Error('redis-server did not answer PING within 20 s');
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return {
    url: `redis://127.0.0.1:${port}`,
    ...stoppable(child),
  };
}
