import type { ChildProcess } from 'node:child_process';
import { once } from 'node:events';

/** SIGTERM and wait (a clean stop), or SIGKILL now (the harness's last resort on any exit path). */
export function stoppable(child: ChildProcess): { stop(): Promise<void>; kill(): void } {
  return {
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = once(child, 'exit');
      child.kill('SIGTERM');
      await exited;
    },
    kill: () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    },
  };
}
