import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import path from 'node:path';

// `npm start` as a child process (src/server.ts through tsx), for tests about what a developer sees:
// the start banner and the start-up failures. Waits for output, never for a fixed time.

export const ROOT = path.resolve(import.meta.dirname, '../..');

export type ServerProcess = {
  child: ChildProcess;
  /** stdout and stderr so far, interleaved as they arrived. */
  output(): string;
  /** stderr alone: where start-up failures are printed. */
  errors(): string;
  /** Resolves with the first match of `pattern` in the output; rejects if the process exits first. */
  waitFor(pattern: RegExp): Promise<RegExpExecArray>;
  /** Resolves with the exit code once the process has exited. */
  exited(): Promise<number | null>;
  stop(): Promise<number | null>;
};

/** A developer's environment: no DATABASE_URL, jest's NODE_OPTIONS removed, the given variables on top. */
export function developmentEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, NODE_ENV: 'development', HOST: '127.0.0.1', PORT: '0', LOG_LEVEL: 'info' };
  delete env.DATABASE_URL;
  delete env.JWT_SECRET;
  delete env.NODE_OPTIONS; // jest's --experimental-vm-modules is not for the child
  return { ...env, ...extra };
}

/**
 * V8 compiles the embedded database's WebAssembly with its baseline compiler only. Optimising it pays off in
 * a server that runs for hours, not in one a test stops after a few requests: about 0.9 s of CPU per start
 * on a migrated folder, 2.3 s on an empty one. The code runs the same; only how V8 compiles it differs.
 */
export const BASELINE_WASM = '--liftoff-only';

export function runNode(args: string[], env: NodeJS.ProcessEnv): ServerProcess {
  const child = spawn(process.execPath, [BASELINE_WASM, ...args], { cwd: ROOT, env });
  let output = '';
  let errors = '';
  // 'close', unlike 'exit', comes after the last output
  const exit = once(child, 'close').then(([code]) => code as number | null);
  const listeners = new Set<() => void>();
  const onData = (chunk: Buffer) => {
    output += chunk.toString();
    for (const listener of listeners) listener();
  };
  child.stdout?.on('data', onData);
  child.stderr?.on('data', (chunk: Buffer) => {
    errors += chunk.toString();
    onData(chunk);
  });
  return {
    child,
    output: () => output,
    errors: () => errors,
    waitFor(pattern) {
      return new Promise((resolve, reject) => {
        const check = () => {
          const match = pattern.exec(output);
          if (!match) return;
          listeners.delete(check);
          resolve(match);
        };
        listeners.add(check);
        check();
        void exit.then((code) => {
          if (!listeners.has(check)) return;
          listeners.delete(check);
          reject(new Error(`exited with ${code} before printing ${pattern}:\n${output}`));
        });
      });
    },
    exited: () => exit,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      return exit;
    },
  };
}

export const startServer = (env: Record<string, string>) => runNode(['--import', 'tsx', 'src/server.ts'], developmentEnv(env));
