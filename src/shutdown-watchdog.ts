import { Worker } from 'node:worker_threads';

// The last resort of a shutdown: a timer on a thread of its own. The main thread's timer cannot fire
// while that thread is blocked (a synchronous write to a pipe nobody reads, a library's flush loop at
// exit); this one can, and SIGKILL needs nothing from the blocked thread.

const WATCHDOG = `
const { workerData } = require('node:worker_threads');
setTimeout(() => process.kill(workerData.pid, 'SIGKILL'), workerData.ms);
`;

/** Kills this process `ms` from now unless it has exited by then. */
export function armShutdownWatchdog(ms: number): void {
  const worker = new Worker(WATCHDOG, { eval: true, workerData: { pid: process.pid, ms }, stdout: true, stderr: true });
  worker.unref(); // a process that finishes its shutdown exits at once
}
