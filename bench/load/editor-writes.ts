import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import type { Knex } from 'knex';

// Editors' writes at the corpus's size, against the requirement's budget (a write under 500 ms):
// reviews published through POST /v1/reviews one after another, as editors make them, each timed
// to its answer. Each files its lexemes in both search indexes, which grow with the corpus and take
// every write's entries at once (ADR 0043). The reviews are deleted after, so the next run reads
// the corpus this one did, and their idempotency records go with them.

/** The writes' own service bootstraps this admin, who writes as any editor does. */
const WRITER = { email: 'bench-writer@example.com', password: 'shutter-prism-aperture-f8-42' };

/** The writer's account, and quotas the writes stay under: the bench times writes, not the limits. */
export const WRITER_ENV: Readonly<Record<string, string>> = {
  BOOTSTRAP_ADMIN_EMAIL: WRITER.email,
  BOOTSTRAP_ADMIN_PASSWORD: WRITER.password,
  REVIEWS_PER_HOUR: '100000',
  EDITOR_REQUESTS_PER_MINUTE: '100000',
};

export type TimedWrites = { ms: number[]; statuses: Record<string, number> };

/**
 * Each write carries the title, summary and body of a different published review of the corpus, so
 * the writes file as many and as varied lexemes as its reviews do (one text written again and again
 * would file the same few keys, which the indexes take far more cheaply).
 */
export async function timeEditorWrites(baseUrl: string, knex: Knex, count: number, published: number): Promise<TimedWrites> {
  const token = await signIn(baseUrl);
  const productIds = (await knex('products').orderBy('id').limit(100).pluck('id')) as string[];
  const texts = await sampleTexts(knex, count, published);
  const created: string[] = [];
  const ms: number[] = [];
  const statuses: Record<string, number> = {};
  try {
    for (let i = 0; i < count; i++) {
      const body = JSON.stringify({
        product_id: productIds[i % productIds.length],
        ...texts[i % texts.length],
        pros: ['Quick, sure autofocus', 'Sharp wide open'],
        cons: ['Heavy', 'Small buffer'],
        verdict_score: 8,
        images: [{ url: `https://images.example/bench/${i + 1}.jpg`, alt: 'Front view' }],
        status: 'published',
      });
      const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json', 'idempotency-key': randomUUID() };
      const started = performance.now();
      const response = await fetch(`${baseUrl}/v1/reviews`, { method: 'POST', headers, body, signal: AbortSignal.timeout(30_000) });
      const answer = await response.text();
      ms.push(Math.round((performance.now() - started) * 100) / 100);
      statuses[response.status] = (statuses[response.status] ?? 0) + 1;
      if (response.status === 201) created.push((JSON.parse(answer) as { id: string }).id);
    }
  } finally {
    await knex('reviews').whereIn('id', created).delete();
    await knex('idempotency_keys').whereIn('editor_id', knex('editors').select('id').where('email', WRITER.email)).delete();
  }
  return { ms, statuses };
}

/** Texts of about `count` published reviews from pages spread over the whole table (the same ones each run). */
async function sampleTexts(knex: Knex, count: number, published: number): Promise<{ title: string; summary: string; body: string }[]> {
  const percent = Math.min(100, ((2 * count) / Math.max(published, 1)) * 100);
  const { rows } = await knex.raw<{ rows: { title: string; summary: string; body: string }[] }>(
    `select title, summary, body from reviews tablesample system (${percent.toFixed(4)}) repeatable (11) where status = 'published' limit ?`,
    [count],
  );
  if (rows.length === 0) throw new Error('editor writes: the corpus has no published review to take texts from');
  return rows;
}

async function signIn(baseUrl: string): Promise<string> {
  const response = await fetch(`${baseUrl}/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(WRITER),
  });
  const body = (await response.json()) as { access_token?: string };
  if (!body.access_token) throw new Error(`bench writer sign-in answered ${response.status}: ${JSON.stringify(body)}`);
  return body.access_token;
}
