import { getJson, UnexpectedStatus } from './request-pools.js';

/**
 * A few requests of a scenario's pool, one at a time, before loading it. A 4xx means the harness
 * built a request the contract rejects: that stops the run, the figures would measure error
 * answers. A 5xx is the service failing; it is reported and the scenario measures how often.
 */
export async function preflight(baseUrl: string, scenario: string, paths: string[], log: (line: string) => void): Promise<void> {
  if (paths.length === 0) throw new Error(`${scenario}: the request pool is empty`);
  const probes = [...new Set([paths[0], paths[Math.floor(paths.length / 2)], paths.at(-1)])].filter((p): p is string => p !== undefined);
  for (const path of probes) {
    try {
      await getJson(baseUrl, path);
    } catch (error) {
      if (error instanceof UnexpectedStatus && error.status >= 500) log(`  warning, ${scenario}: ${error.message}`);
      else throw error;
    }
  }
}
