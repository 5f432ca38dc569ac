import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { developmentEnv, runNode, startServer, type ServerProcess } from '../support/server-process.js';

// Start-up failures a newcomer meets: each is one or two lines on stderr naming the variable or
// resource and what to do, and exit code 1; never a stack trace (those are for bugs).

const SLOW = 120_000; // a child process through tsx, on a loaded machine

const STACK_FRAME = /\n\s+at /;

async function failure(process: ServerProcess) {
  const code = await process.exited();
  const lines = process.errors().trim().split('\n');
  return { code, lines, message: process.errors(), everything: process.output() };
}

/** A port some other process listens on, for as long as the test holds it. */
async function occupiedPort(): Promise<{ port: number; release(): Promise<void> }> {
  const holder = net.createServer();
  await new Promise<void>((resolve) => holder.listen(0, '127.0.0.1', resolve));
  const { port } = holder.address() as net.AddressInfo;
  return { port, release: () => new Promise((resolve) => holder.close(() => resolve())) };
}

let dataDir: string;
beforeAll(() => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'rcr-failures-'));
});
afterAll(() => {
  fs.rmSync(dataDir, { recursive: true, force: true });
});

describe('npm start: start-up failures', () => {
  test(
    'when DATABASE_URL is a mysql:// URL, then it says DATABASE_URL must be postgres:// or postgresql://',
    async () => {
      const result = await failure(startServer({ DATA_DIR: dataDir, DATABASE_URL: 'mysql://app:s3cret@db.example/reviews' }));

      expect(result.code).toBe(1);
      expect(result.message).toMatch(/DATABASE_URL: must be postgres:\/\/ or postgresql:\/\//);
      expect(result.lines.length).toBeLessThanOrEqual(2);
      expect(result.everything).not.toMatch(STACK_FRAME);
      expect(result.everything).not.toContain('s3cret');
    },
    SLOW,
  );

  test(
    'when PostgreSQL does not answer at DATABASE_URL, then it names DATABASE_URL, host:port and what to do, without the password',
    async () => {
      const closed = await occupiedPort();
      await closed.release(); // nothing listens there now: connection refused
      const result = await failure(startServer({ DATA_DIR: dataDir, DATABASE_URL: `postgres://app:s3cret@127.0.0.1:${closed.port}/reviews` }));

      expect(result.code).toBe(1);
      expect(result.lines).toEqual([
        `Cannot reach PostgreSQL at 127.0.0.1:${closed.port} (DATABASE_URL): connection refused. Start PostgreSQL there, fix DATABASE_URL, or unset it to use the embedded database.`,
      ]);
      expect(result.everything).not.toMatch(STACK_FRAME);
      expect(result.everything).not.toContain('s3cret');
    },
    SLOW,
  );

  test(
    'when PORT is taken, then it names PORT before opening the database',
    async () => {
      const taken = await occupiedPort();
      try {
        const result = await failure(startServer({ DATA_DIR: dataDir, PORT: String(taken.port) }));

        expect(result.code).toBe(1);
        expect(result.lines).toEqual([
          expect.stringMatching(
            new RegExp(`^PORT ${taken.port} is already in use on 127\\.0\\.0\\.1: stop the process listening there, or choose another port`),
          ),
        ]);
        expect(result.everything).not.toContain('database ready');
        expect(fs.existsSync(path.join(dataDir, 'pglite'))).toBe(false);
        expect(result.everything).not.toMatch(STACK_FRAME);
      } finally {
        await taken.release();
      }
    },
    SLOW,
  );

  test(
    'when values are malformed or missing, then it names each variable and what a good value looks like',
    async () => {
      const result = await failure(startServer({ DATA_DIR: dataDir, PORT: 'eighty', DEMO_ACCOUNTS: 'maybe', NODE_ENV: 'production' }));

      expect(result.code).toBe(1);
      expect(result.message).toContain('PORT: must be a whole number from 0 to 65535');
      expect(result.message).toContain('DEMO_ACCOUNTS: must be true or false');
      expect(result.message).toContain('JWT_SECRET: is required in production');
      expect(result.everything).not.toMatch(STACK_FRAME);
    },
    SLOW,
  );

  test(
    'when DATA_DIR is a file, then it names DATA_DIR and what to do',
    async () => {
      const file = path.join(dataDir, 'not-a-folder');
      fs.writeFileSync(file, 'x');
      const result = await failure(startServer({ DATA_DIR: file }));

      expect(result.code).toBe(1);
      expect(result.lines).toEqual([expect.stringMatching(/^DATA_DIR .*not-a-folder is not a folder this user can write \(\w+\): choose another/)]);
      expect(result.everything).not.toMatch(STACK_FRAME);
    },
    SLOW,
  );
});

describe('npm run mock: start-up failures', () => {
  test(
    "when MOCK_PORT is taken, then it names MOCK_PORT instead of printing Prism's help",
    async () => {
      const taken = await occupiedPort();
      try {
        const result = await failure(runNode(['scripts/mock-server.mjs'], developmentEnv({ MOCK_PORT: String(taken.port), MOCK_HOST: '127.0.0.1' })));

        expect(result.code).toBe(1);
        expect(result.lines).toEqual([
          expect.stringMatching(new RegExp(`^MOCK_PORT ${taken.port} is already in use on 127\\.0\\.0\\.1: .*MOCK_PORT=${taken.port + 1} npm run mock`)),
        ]);
        expect(result.everything).not.toContain('--help');
      } finally {
        await taken.release();
      }
    },
    SLOW,
  );
});

describe('npm run sandbox: start-up failures', () => {
  test(
    'when SANDBOX_PORT is taken, then it names SANDBOX_PORT before opening any database',
    async () => {
      const taken = await occupiedPort();
      try {
        const result = await failure(runNode(['scripts/sandbox.mjs'], developmentEnv({ SANDBOX_PORT: String(taken.port), SANDBOX_HOST: '127.0.0.1' })));

        expect(result.code).toBe(1);
        expect(result.lines).toEqual([
          expect.stringMatching(
            new RegExp(`^SANDBOX_PORT ${taken.port} is already in use on 127\\.0\\.0\\.1: .*SANDBOX_PORT=${taken.port + 1} npm run sandbox`),
          ),
        ]);
      } finally {
        await taken.release();
      }
    },
    SLOW,
  );
});
