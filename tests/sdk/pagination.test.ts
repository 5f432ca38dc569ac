import { afterEach, describe, expect, test } from '@jest/globals';
import { createClient } from '../../sdk/src/index.js';
import { startScriptedServer, type ReceivedRequest, type ScriptedServer } from './support/scripted-server.js';

const item = (n: number) => ({ id: `id-${n}` });
/** Three pages of two items; the cursor of page n is "p<n>". */
const threePages = (request: ReceivedRequest) => {
  const cursor = new URL(request.url, 'http://x').searchParams.get('cursor');
  const page = cursor ? Number(cursor.slice(1)) : 1;
  return { status: 200, body: { items: [item(page * 2 - 1), item(page * 2)], next_cursor: page < 3 ? `p${page + 1}` : null } };
};

let server: ScriptedServer;
afterEach(() => server.close());

describe('paginated lists', () => {
  test('when iterated with for await, then every item of every page comes in order, each page fetched once', async () => {
    server = await startScriptedServer(threePages);
    const client = createClient({ baseUrl: server.baseUrl });

    const ids: string[] = [];
    for await (const review of client.content.list({ q: 'low light' })) ids.push(review.id);

    expect(ids).toEqual(['id-1', 'id-2', 'id-3', 'id-4', 'id-5', 'id-6']);
    expect(server.received.map((r) => new URL(r.url, 'http://x').search)).toEqual(['?q=low%20light', '?q=low%20light&cursor=p2', '?q=low%20light&cursor=p3']);
  });

  test('when collected with toArray({ max }), then it stops at max without fetching further pages', async () => {
    server = await startScriptedServer(threePages);
    const client = createClient({ baseUrl: server.baseUrl });

    const items = await client.products.list().toArray({ max: 3 });

    expect(items.map((i) => i.id)).toEqual(['id-1', 'id-2', 'id-3']);
    expect(server.received).toHaveLength(2);
  });

  test('when awaited, then it is the first page, with its next_cursor for a "load more" button', async () => {
    server = await startScriptedServer(threePages);
    const client = createClient({ baseUrl: server.baseUrl });

    const page = await client.content.list();
    const next = await client.content.list({ cursor: page.next_cursor ?? undefined });

    expect(page.next_cursor).toBe('p2');
    expect(next.items.map((i) => i.id)).toEqual(['id-3', 'id-4']);
  });

  test('when a list is created but never awaited or iterated, then nothing is requested', async () => {
    server = await startScriptedServer(threePages);
    const client = createClient({ baseUrl: server.baseUrl });

    client.content.list();
    await new Promise((resolve) => setTimeout(resolve, 50));

    expect(server.received).toHaveLength(0);
  });

  test('when the server hands back the cursor it was sent (a mock replaying one example), then iteration ends instead of looping', async () => {
    server = await startScriptedServer(() => ({ status: 200, body: { items: [item(1)], next_cursor: 'same' } }));
    const client = createClient({ baseUrl: server.baseUrl });

    const items = await client.content.list().toArray({ max: 100 });

    expect(items).toHaveLength(2);
    expect(server.received).toHaveLength(2);
  });
});
