import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import path from 'node:path';
import { BASELINE_WASM } from '../../support/server-process.js';

// `npm run sandbox` (scripts/sandbox.mjs) on a free port, as a frontend developer starts it, with
// the demo accounts it prints read from its output.

export type DemoLogin = { email: string; password: string };
export type Sandbox = { baseUrl: string; admin: DemoLogin; editor: DemoLogin; stop(): Promise<void> };

export async function startSandbox(corsOrigins: string[]): Promise<Sandbox> {
  const port = await freePort();
  const child = spawn(process.execPath, [BASELINE_WASM, path.join(process.cwd(), 'scripts/sandbox.mjs')], {
    env: { ...process.env, SANDBOX_PORT: String(port), SANDBOX_CORS_ORIGINS: corsOrigins.join(','), NODE_OPTIONS: '' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const origin = `http://127.0.0.1:${port}`;
  await waitUntilReady(`${origin}/readyz`, child, () => /demo editor .*password \S+/.test(output));
  return {
    baseUrl: `${origin}/v1`,
    admin: demoLogin(output, 'admin'),
    editor: demoLogin(output, 'editor'),
    stop: () => stop(child),
  };
}

/** The banner line `demo editor  editor@demo…  password XYZ`. */
function demoLogin(output: string, role: 'admin' | 'editor'): DemoLogin {
  const match = new RegExp(`demo ${role}\\s+(\\S+)\\s+password (\\S+)`).exec(output);
  if (!match) throw new Error(`the sandbox printed no demo ${role}:\n${output}`);
  return { email: match[1] as string, password: match[2] as string };
}

async function waitUntilReady(url: string, child: ChildProcess, printed: () => boolean): Promise<void> {
  const deadline = Date.now() + 180_000; // an in-memory database migrated and seeded on a busy machine
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`the sandbox exited with ${child.exitCode}`);
    if (
      printed() &&
      (await fetch(url).then(
        (r) => r.ok,
        () => false,
      ))
    )
      return;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  await stop(child);
  throw new Error('the sandbox was not ready within 180 s');
}

function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer().listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}
