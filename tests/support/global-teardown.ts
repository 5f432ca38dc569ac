import fs from 'node:fs';

// Runs once after all test files: removes the embedded snapshot globalSetup wrote.
export default function globalTeardown(): void {
  const file = process.env.TEST_EMBEDDED_SNAPSHOT;
  if (file) fs.rmSync(file, { force: true });
}
