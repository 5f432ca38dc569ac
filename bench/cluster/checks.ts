import { randomBytes } from 'node:crypto';
import { sql } from '../../tests/support/replica-cluster.js';
import type { Load } from './load.js';
import type { Row } from './report.js';

// Checks made outside the load: every acknowledged post in the database exactly once, and a
// per-address quota counted across instances (Redis) or per instance (Redis down).

export async function postsExactlyOnce(primaryUrl: string, load: Load): Promise<Row[]> {
  const rows = (await sql(primaryUrl, `select id::text, title from reviews where title like 'cluster %'`)) as { id: string; title: string }[];
  const byTitle = new Map<string, string[]>();
  for (const r of rows) byTitle.set(r.title, [...(byTitle.get(r.title) ?? []), r.id]);
  const acked = new Set(load.acks.map((a) => a.title));
  const missing = load.acks.filter((a) => !byTitle.get(a.title)?.includes(a.id)).length;
  const duplicated = [...byTitle.values()].filter((ids) => ids.length > 1).length;
  const unacknowledged = [...byTitle.keys()].filter((t) => !acked.has(t)).length;
  const keys = load.acks.map((a) => a.key);
  const pending = (await sql(primaryUrl, `select count(*)::int as n from idempotency_keys where key = any($1) and status <> 'completed'`, [keys]))[0]
    ?.n as number;
  const retried = load.acks.filter((a) => a.attempts > 1).length;
  return [
    {
      fault: 'all faults',
      measure: 'posts acknowledged (201), of which retried',
      result: `${load.acks.length}, ${retried} retried; ${load.abandoned.length} never acknowledged`,
      target: '≥ 1,000, 0 unacknowledged',
      met: load.acks.length >= 1000 && load.abandoned.length === 0,
      integrity: true,
    },
    {
      fault: 'all faults',
      measure: 'acknowledged posts in the database: missing, duplicated, half-written',
      result: `${missing} missing, ${duplicated} duplicated, ${pending} keys not completed, ${unacknowledged} rows never acknowledged`,
      target: '0, 0, 0, 0',
      met: missing === 0 && duplicated === 0 && pending === 0 && unacknowledged === 0,
      integrity: true,
    },
  ];
}

/**
 * `attempts` refreshes (with a token nobody holds) from one client address, through haproxy. A
 * request shed with 503 says nothing about the quota: it is sent again (up to 10 times) until
 * the quota answers, 401 (counted, within it) or 429 (over it).
 */
export async function authQuota(baseUrl: string, address: string, attempts: number): Promise<{ limited: number; answered: number; other: number }> {
  let limited = 0;
  let answered = 0;
  let other = 0;
  for (let i = 0; i < attempts; i++) {
    let status = 0;
    for (let tries = 0; tries < 10 && (status === 0 || status === 503); tries++) {
      if (tries > 0) await new Promise((resolve) => setTimeout(resolve, 200));
      const response = await fetch(`${baseUrl}/v1/auth/refresh`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-forwarded-for': address },
        body: JSON.stringify({ refresh_token: randomBytes(32).toString('base64url') }),
        signal: AbortSignal.timeout(30_000),
      }).catch(() => undefined);
      await response?.arrayBuffer();
      status = response?.status ?? 0;
    }
    if (status === 429) limited++;
    else if (status === 401) answered++;
    else other++;
  }
  return { limited, answered, other };
}

export function sharedQuotaRow(quota: number, attempts: number, r: { limited: number; answered: number; other: number }): Row {
  return {
    fault: 'none (Redis up)',
    measure: `${attempts} refreshes from one address, quota ${quota}/min: answered, 429`,
    result: `${r.answered}, ${r.limited}${r.other ? ` (${r.other} other)` : ''}`,
    target: `exactly ${quota}, ${attempts - quota}`,
    met: r.answered === quota && r.limited === attempts - quota && r.other === 0,
    integrity: true,
  };
}

export function memoryQuotaRow(quota: number, instances: number, attempts: number, r: { limited: number; answered: number; other: number }): Row {
  return {
    fault: 'Redis stopped',
    measure: `${attempts} refreshes from one address: answered, 429`,
    result: `${r.answered}, ${r.limited}${r.other ? ` (${r.other} other)` : ''}`,
    target: `${quota}–${quota * instances} answered (per instance), rest 429`,
    met: r.answered >= quota && r.answered <= quota * instances && r.limited === attempts - r.answered && r.other === 0,
    integrity: true,
  };
}
