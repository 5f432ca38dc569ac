import { readFileSync } from 'node:fs';

/** A field of /proc/<pid>/status in MB (VmRSS: resident now; VmHWM: the peak since start). */
export function readMemoryMb(pid: number, field: 'VmRSS' | 'VmHWM'): number | undefined {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1];
    return kb === undefined ? undefined : Math.round((Number(kb) / 1024) * 10) / 10;
  } catch {
    return undefined; // not Linux, or the process is gone
  }
}

/** Samples VmRSS every `intervalMs` until stopped; returns the largest value seen. */
export function sampleRss(pid: number, intervalMs = 200): { stop(): number | undefined } {
  let max: number | undefined;
  const sample = () => {
    const mb = readMemoryMb(pid, 'VmRSS');
    if (mb !== undefined && (max === undefined || mb > max)) max = mb;
  };
  sample();
  const timer = setInterval(sample, intervalMs);
  return {
    stop() {
      clearInterval(timer);
      sample();
      return max;
    },
  };
}
