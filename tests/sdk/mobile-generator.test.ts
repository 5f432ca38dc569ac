import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, test } from '@jest/globals';

// `npm run sdk:mobile` cannot run here (no Maven Central); it must say why, not dump a stack trace.

describe('npm run sdk:mobile', () => {
  test('when Java is missing, then it exits 1 with one clear sentence and no stack trace', () => {
    const bin = fs.mkdtempSync(path.join(os.tmpdir(), 'no-java-'));
    fs.symlinkSync(process.execPath, path.join(bin, 'node'));

    const run = spawnSync(process.execPath, ['sdk/scripts/generate-mobile.mjs'], { env: { PATH: bin }, encoding: 'utf8' });
    fs.rmSync(bin, { recursive: true, force: true });

    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(/sdk:mobile: Java is not installed\. .*Maven Central/);
    expect(run.stderr).not.toMatch(/^\s+at /m);
  });
});
