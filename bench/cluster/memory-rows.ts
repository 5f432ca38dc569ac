import { percentile } from '../load/percentile.js';
import type { Slot } from './instances.js';
import type { Row } from './report.js';

/** The 150 MB RSS target of issue 17, per instance slot, over every process it ran under the mixed load. */
export const RSS_TARGET_MB = 150;

export function memoryRows(slots: Slot[]): Row[] {
  return slots.map((slot) => {
    const samples = slot.processes.flatMap((p) => p.rssSamples).sort((a, b) => a - b);
    const peak = samples.at(-1) ?? 0;
    return {
      fault: 'mixed load',
      measure: `RSS of ${slot.name} (${slot.processes.length} processes${slot.failedStarts ? `, ${slot.failedStarts} exited while starting` : ''}): median, peak`,
      result: `${percentile(samples, 50)} MB, ${peak} MB`,
      target: `peak ≤ ${RSS_TARGET_MB} MB`,
      met: samples.length > 0 && peak <= RSS_TARGET_MB,
      integrity: true,
    };
  });
}
