import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import type { Knex } from 'knex';

// Editors' writes at the corpus's size, against the requirement's budget (a write under 500 ms):
// reviews published through POST /v1/reviews one after another, as editors make them, each timed
// to its answer. Each files its lexemes in both search indexes, which grow with the corpus and take
// every write's entries at once (ADR 0043). The reviews are deleted after, so the next run reads
// the corpus this one did, and their idempotency records go with them.

/** The cache-off service bootstraps this admin, who writes as any editor does. */
const WRITER = { email: 'bench-writer@example.com', password: 'shutter-prism-aperture-f8-42' };

/** The writer's account, and quotas the writes stay under: the bench times writes, not the limits. */
export const WRITER_ENV: Readonly<Record<string, string>> = {
  BOOTSTRAP_ADMIN_EMAIL: WRITER.email,
  BOOTSTRAP_ADMIN_PASSWORD: WRITER.password,
  REVIEWS_PER_HOUR: '100000',
  EDITOR_REQUESTS_PER_MINUTE: '100000',
};

export type TimedWrites = { ms: number[]; statuses: Record<string, number> };

/** A review of the corpus's length (~170 words), so each write files about as many lexemes as a seeded one. */
const BODY = [
  'I carried this one for three weeks of street, landscape and low-light work, mostly handheld.',
  'Autofocus locks quickly on faces and eyes, and tracking holds through a crowd without hunting;',
  'in dim interiors it slows a little but rarely misses. Sharpness is excellent in the centre wide',
  'open, corners catch up by f/5.6, and flare stays controlled against the sun. The grip fills the',
  'hand, the dials are firm, and the weather sealing survived a morning of coastal rain. Battery life',
  'gave about four hundred frames a charge, fewer with the stabiliser and the screen working hard.',
  'Colours straight from the camera lean warm; raw files hold plenty of shadow detail at base ISO',
  'and stay clean to 6400. Video is capable, with clean 4K and decent rolling shutter, though the',
  'menus bury the profiles. Weight is the main cost: after a long day the strap noticed. For travel',
  'and documentary work it is an easy recommendation; for sport, the buffer fills sooner than I liked.',
].join(' ');

export async function timeEditorWrites(baseUrl: string, knex: Knex, count: number): Promise<TimedWrites> {
  const token = await signIn(baseUrl);
  const productIds = (await knex('products').orderBy('id').limit(100).pluck('id')) as string[];
  const created: string[] = [];
  const ms: number[] = [];
  const statuses: Record<string, number> = {};
  try {
    for (let i = 0; i < count; i++) {
      const body = JSON.stringify({
        product_id: productIds[i % productIds.length],
        title: `Three weeks with it, write ${i + 1}`,
        summary: 'Fast, sharp and sealed; heavy after a long day.',
        body: BODY,
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
