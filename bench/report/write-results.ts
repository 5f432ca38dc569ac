import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** What the figures depend on besides the code: recorded with them so runs can be compared fairly. */
export function machineInfo(postgres: Readonly<Record<string, string>>): Record<string, unknown> {
  const cpus = os.cpus();
  return {
    date: new Date().toISOString(),
    commit: git(['rev-parse', 'HEAD']),
    branch: git(['rev-parse', '--abbrev-ref', 'HEAD']),
    // uncommitted changes mean the commit hash alone does not say what was measured
    dirty: git(['status', '--porcelain', '--untracked-files=no']) !== '',
    node: process.version,
    postgres,
    platform: `${os.platform()} ${os.release()} ${os.arch()}`,
    cpus: cpus.length,
    cpuModel: cpus[0]?.model.trim(),
    totalMemoryMb: Math.round(os.totalmem() / 2 ** 20),
    // other work on the machine is the largest source of noise here
    loadAverageAtStart: os.loadavg().map((l) => Math.round(l * 100) / 100),
  };
}

export function writeResults(dir: string, stamp: string, results: unknown): string {
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `${stamp}.json`);
  writeFileSync(file, `${JSON.stringify(results, null, 2)}\n`);
  return file;
}

/** 2026-11-23T14-05-09Z: sortable and safe in file names. */
export function fileStamp(date = new Date()): string {
  return date
    .toISOString()
    .replace(/\.\d+Z$/, 'Z')
    .replace(/:/g, '-');
}

function git(args: string[]): string {
  try {
    return execFileSync('git', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return 'unknown';
  }
}
