// A framework-free frontend on the SDK: list, search (each new search cancels the one in flight),
// compare, sign in, publish, and edit with the ETag. `?api=` names the API (default: the sandbox).
import { ApiError, createClient, type Comparison, type ContentItem, type Review } from '../../src/index.js';

const baseUrl = new URLSearchParams(location.search).get('api') ?? 'http://127.0.0.1:4020/v1';
const client = createClient({ baseUrl });
const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;
const text = (id: string, value: string, isError = false) => {
  $(id).textContent = value;
  $(id).classList.toggle('error', isError);
};
/** A text input's value (these forms have no file inputs). */
const field = (form: FormData, name: string) => {
  const value = form.get(name);
  return typeof value === 'string' ? value : '';
};
const describe = (error: unknown) => (error instanceof ApiError ? `${error.status} ${error.code}` : String(error));

$('api').textContent = baseUrl;

// ---- list and search: the newest search wins, the one before it is cancelled on the wire
let searchInFlight: AbortController | undefined;
let searchesCancelled = 0;

async function search(q: string): Promise<void> {
  if (searchInFlight) {
    searchInFlight.abort();
    searchesCancelled++;
  }
  const controller = new AbortController();
  searchInFlight = controller;
  text('search-status', q ? `searching "${q}"…` : 'loading the latest…');
  try {
    const page = await client.content.list(q ? { q, limit: 10 } : { limit: 10 }, { signal: controller.signal });
    showResults(page.items);
    text('search-status', `${page.items.length} found${q ? ` for "${q}"` : ''}; ${searchesCancelled} earlier searches cancelled`);
  } catch (error) {
    if (!controller.signal.aborted) text('search-status', `search failed: ${describe(error)}`, true);
  } finally {
    if (searchInFlight === controller) searchInFlight = undefined;
  }
}

function showResults(items: ContentItem[]): void {
  $('results').replaceChildren(
    ...items.map((item) => {
      const li = document.createElement('li');
      const box = Object.assign(document.createElement('input'), { type: 'checkbox', value: item.slug });
      li.append(box, ` ${item.title} (${item.verdict_score}/10)`);
      li.dataset.slug = item.slug;
      return li;
    }),
  );
}

$('search').addEventListener('input', (event) => void search((event.target as HTMLInputElement).value.trim()));

// ---- compare
$('compare').addEventListener('click', async () => {
  const slugs = [...document.querySelectorAll<HTMLInputElement>('#results input:checked')].map((box) => box.value);
  try {
    showComparison(await client.content.compare(slugs));
  } catch (error) {
    $('comparison').replaceChildren(Object.assign(document.createElement('p'), { className: 'error', textContent: describe(error) }));
  }
});

function showComparison(comparison: Comparison): void {
  const table = document.createElement('table');
  const row = (cells: string[], tag: 'th' | 'td') => {
    const tr = table.insertRow();
    for (const cell of cells) tr.append(Object.assign(document.createElement(tag), { textContent: cell }));
  };
  row(['', ...comparison.reviews.map((r) => r.product.name)], 'th');
  for (const spec of comparison.specs) row([spec.key, ...spec.values.map((v) => (v === null ? '—' : String(v)))], 'td');
  $('comparison').replaceChildren(table);
}

// ---- sign in, publish, edit with the ETag
let written: { review: Review; etag: string } | undefined;

$('signin').addEventListener('submit', async (event) => {
  event.preventDefault();
  const form = new FormData(event.target as HTMLFormElement);
  try {
    await client.auth.login({ email: field(form, 'email'), password: field(form, 'password') });
    const me = await client.auth.me();
    text('who', `signed in as ${me.display_name}`);
    const products = await client.products.list({ limit: 100 });
    const select = document.querySelector<HTMLSelectElement>('#publish select') as HTMLSelectElement;
    select.replaceChildren(...products.items.map((p) => Object.assign(document.createElement('option'), { value: p.id, textContent: p.name })));
    $('publish').hidden = false;
  } catch (error) {
    text('who', `sign-in failed: ${describe(error)}`, true);
  }
});

$('publish').addEventListener('submit', async (event) => {
  event.preventDefault();
  const form = new FormData(event.target as HTMLFormElement);
  try {
    const { data: review, etag = '' } = await client.reviews
      .create({
        product_id: field(form, 'product_id'),
        title: field(form, 'title'),
        summary: field(form, 'summary'),
        body: field(form, 'body'),
        verdict_score: Number(form.get('verdict_score')),
        status: 'published',
      })
      .withResponse();
    written = { review, etag };
    // read back as any reader would: published means publicly visible
    const visible = await client.content.get(review.slug);
    text('published', `published ${visible.slug} (version ${review.version})`);
    $('edit').hidden = false;
  } catch (error) {
    text('published', `publishing failed: ${describe(error)}`, true);
  }
});

$('edit').addEventListener('submit', async (event) => {
  event.preventDefault();
  if (!written) return;
  const title = field(new FormData(event.target as HTMLFormElement), 'title');
  try {
    const { data: review, etag = '' } = await client.reviews.update(written.review.id, { title }, { ifMatch: written.etag }).withResponse();
    written = { review, etag };
    text('edit-status', `saved "${review.title}" (version ${review.version})`);
  } catch (error) {
    // 412: someone changed it since we read it; nothing was overwritten
    text('edit-status', `not saved: ${describe(error)}`, true);
  }
});

void search('');
