import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { createServer } from 'node:net';
import { readMemoryMb } from './memory.js';

export type RunningChild = {
  name: string;
  pid: number;
  baseUrl: string;
  logFile: string;
  /** SIGTERM, wait for exit; returns the process's peak RSS (VmHWM) read just before. */
  stop(): Promise<number | undefined>;
};

/**
 * Starts `node <script>` (TypeScript through tsx unless the script is compiled .js) on a free
 * loopback port and waits until `readyPath` answers 200. Output goes to `logFile`; its tail is
 * quoted if the process dies while starting.
 */
export async function startNodeChild(options: {
  name: string;
  script: string;
  args?: string[];
  env: Record<string, string>;
  readyPath: string;
  logFile: string;
  timeoutMs?: number;
}): Promise<RunningChild> {
  const port = await freePort();
  const log = createWriteStream(options.logFile);
  let tail = '';
  const loader = options.script.endsWith('.ts') ? ['--import', 'tsx'] : [];
  const child = spawn(process.execPath, [...loader, options.script, ...(options.args ?? [])], {
    // a clean environment: nothing from the caller's shell changes what is measured
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', PORT: String(port), HOST: '127.0.0.1', ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  for (const stream of [child.stdout, child.stderr]) {
    stream.on('data', (chunk: Buffer) => {
      log.write(chunk);
      tail = (tail + chunk.toString()).slice(-2000);
    });
  }
  const baseUrl = `http://127.0.0.1:${port}`;
  try {
    // generous: on two cores shared with other test suites, a start has been seen to take over a minute
    await waitUntilReady(child, `${baseUrl}${options.readyPath}`, options.timeoutMs ?? 120_000);
  } catch (error) {
    child.kill('SIGKILL');
    throw new Error(`${options.name} did not start: ${(error as Error).message}\n--- last output (${options.logFile}) ---\n${tail}`, { cause: error });
  }
  const pid = child.pid as number;
  return {
    name: options.name,
    pid,
    baseUrl,
    logFile: options.logFile,
    async stop() {
      const peak = readMemoryMb(pid, 'VmHWM');
      if (child.exitCode === null) {
        const exited = once(child, 'exit');
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
        await exited;
        clearTimeout(timer);
      }
      log.end();
      return peak;
    },
  };
}

async function waitUntilReady(child: ChildProcess, url: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let lastProblem = 'no answer yet';
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`exited with code ${child.exitCode}`);
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(2000) });
      await response.arrayBuffer();
      if (response.status === 200) return;
      lastProblem = `${url} answered ${response.status}`;
    } catch (error) {
      lastProblem = (error as Error).message;
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`not ready after ${timeoutMs} ms (${lastProblem})`);
}

/** A port the OS just reported free (another process could take it first; unlikely on loopback). */
export async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const address = server.address();
  server.close();
  await once(server, 'close');
  if (typeof address !== 'object' || !address) throw new Error('could not find a free port');
  return address.port;
}
