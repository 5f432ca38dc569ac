import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { closeSync, openSync } from 'node:fs';
import path from 'node:path';
import { readMemoryMb } from '../processes/memory.js';

// The compiled service (dist/src/server.js, as the Dockerfile runs it), one child process per
// slot on a fixed loopback port, so haproxy's server lines stay valid across kills and restarts.

export type Slot = {
  name: string;
  port: number;
  child: ChildProcess | undefined;
  /** Every process this slot ran, with its RSS samples: a restarted instance is a new process. */
  processes: { pid: number; rssSamples: number[] }[];
  /** Starts whose process exited before it was ready (and was started again). */
  failedStarts: number;
};

export function createSlots(ports: number[]): Slot[] {
  return ports.map((port, i) => ({ name: `api${i + 1}`, port, child: undefined, processes: [], failedStarts: 0 }));
}

/**
 * Starts the slot's process and waits for /readyz. A process that exits while starting (a database
 * connect timing out on a busy machine) is started again, up to 3 times, as an orchestrator
 * restarts a crashed container; each such exit is counted in `failedStarts` and reported.
 */
export async function startInstance(slot: Slot, env: Record<string, string>, logDir: string): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    const log = openSync(path.join(logDir, `${slot.name}.log`), 'a');
    const child = spawn(process.execPath, [path.join('dist', 'src', 'server.js')], {
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env },
      // a file, not a pipe: the harness must never be what slows or blocks an instance's logging
      stdio: ['ignore', log, log],
    });
    closeSync(log);
    slot.child = child;
    slot.processes.push({ pid: child.pid as number, rssSamples: [] });
    try {
      await waitReady(slot, child);
      return;
    } catch (error) {
      if (child.exitCode === null || attempt >= 3) throw error;
      slot.failedStarts++;
    }
  }
}

async function waitReady(slot: Slot, child: ChildProcess): Promise<void> {
  const deadline = Date.now() + 120_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`${slot.name} exited with ${child.exitCode} while starting (see its log)`);
    try {
      const response = await fetch(`http://127.0.0.1:${slot.port}/readyz`, { signal: AbortSignal.timeout(2000) });
      await response.arrayBuffer();
      if (response.status === 200) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`${slot.name} not ready after 120 s`);
}

/** SIGKILL: no drain, in-flight requests cut. */
export async function killInstance(slot: Slot): Promise<void> {
  await signalAndWait(slot, 'SIGKILL', 10_000);
}

/** SIGTERM, as an orchestrator stops a pod; returns how long the process took to exit (ms). */
export async function stopInstance(slot: Slot, graceMs = 30_000): Promise<number> {
  const started = Date.now();
  const exited = await signalAndWait(slot, 'SIGTERM', graceMs);
  if (!exited) await signalAndWait(slot, 'SIGKILL', 10_000);
  return Date.now() - started;
}

async function signalAndWait(slot: Slot, signal: NodeJS.Signals, timeoutMs: number): Promise<boolean> {
  const child = slot.child;
  if (!child || child.exitCode !== null || child.signalCode !== null) return true;
  const exited = once(child, 'exit').then(() => true);
  child.kill(signal);
  const timedOut = new Promise<boolean>((resolve) => setTimeout(() => resolve(false), timeoutMs).unref());
  return Promise.race([exited, timedOut]);
}

/** Samples every running instance's resident memory (MB) every `intervalMs`. */
export function sampleMemory(slots: Slot[], intervalMs = 500): () => void {
  const timer = setInterval(() => {
    for (const slot of slots) {
      const current = slot.processes.at(-1);
      const mb = current && slot.child?.exitCode === null ? readMemoryMb(current.pid, 'VmRSS') : undefined;
      if (current && mb !== undefined) current.rssSamples.push(mb);
    }
  }, intervalMs);
  return () => clearInterval(timer);
}

/** Last resort on any exit path: no instance outlives the harness. */
export function killAllNow(slots: Slot[]): void {
  for (const slot of slots) if (slot.child && slot.child.exitCode === null) slot.child.kill('SIGKILL');
}
