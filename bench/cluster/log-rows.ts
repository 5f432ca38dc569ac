import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Slot } from './instances.js';
import type { Row } from './report.js';

/** What the instances logged over the whole run (LOG_LEVEL=warn, as configured for production here). */
export function logVolume(dir: string, slots: Slot[]): Row {
  let bytes = 0;
  let lines = 0;
  for (const slot of slots) {
    const text = readFileSync(path.join(dir, `${slot.name}.log`), 'utf8');
    bytes += Buffer.byteLength(text);
    lines += text.split('\n').filter(Boolean).length;
  }
  return {
    fault: 'all faults',
    measure: 'instance log output (all instances, warn level)',
    result: `${lines.toLocaleString('en')} lines, ${(bytes / 1024).toFixed(0)} KB`,
    target: 'reported',
    met: undefined,
  };
}

/** The end of each instance's log, printed when the harness itself failed (the folder is removed next). */
export function printLogTails(dir: string, slots: Slot[]): void {
  for (const slot of slots) {
    try {
      const lines = readFileSync(path.join(dir, `${slot.name}.log`), 'utf8')
        .trimEnd()
        .split('\n')
        .slice(-15);
      process.stderr.write(`--- ${slot.name}.log (last ${lines.length} lines)\n${lines.join('\n')}\n`);
    } catch {
      // never started
    }
  }
}
