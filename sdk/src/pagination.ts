/** The list query for the page at `cursor` (the first page: the query as given). */
export const atCursor = <Q extends { cursor?: string }>(query: Q, cursor: string | undefined): Q => (cursor === undefined ? query : { ...query, cursor });

/** Every list response of the API: a page of items and the cursor of the next page (null on the last). */
export type Page<Item> = { items: Item[]; next_cursor: string | null };

/**
 * What every list method returns. `await` it for the first page; `for await` it for every item
 * of every page (fetched as you go); `pages()` for page by page; `toArray({ max })` to collect.
 * Nothing is requested until you do one of these.
 */
export class Paginated<Item, P extends Page<Item> = Page<Item>> implements PromiseLike<P>, AsyncIterable<Item> {
  #first: Promise<P> | undefined;

  constructor(
    private readonly fetchPage: (cursor: string | undefined) => PromiseLike<P>,
    private readonly startCursor: string | undefined,
  ) {}

  then<A = P, B = never>(
    onFulfilled?: ((page: P) => A | PromiseLike<A>) | null,
    onRejected?: ((reason: unknown) => B | PromiseLike<B>) | null,
  ): Promise<A | B> {
    return this.#firstPage().then(onFulfilled, onRejected);
  }

  async *pages(): AsyncGenerator<P, void, undefined> {
    let cursor = this.startCursor;
    let page = await this.#firstPage();
    for (;;) {
      yield page;
      const next = page.next_cursor;
      // A cursor that does not move (a mock server replaying one example) would loop forever.
      if (!next || next === cursor) return;
      cursor = next;
      page = await this.fetchPage(cursor);
    }
  }

  async *[Symbol.asyncIterator](): AsyncGenerator<Item, void, undefined> {
    for await (const page of this.pages()) yield* page.items;
  }

  /** Collects items across pages, stopping (and fetching no further page) once `max` are in. */
  async toArray({ max }: { max: number }): Promise<Item[]> {
    const items: Item[] = [];
    if (max <= 0) return items;
    for await (const page of this.pages()) {
      for (const item of page.items) {
        items.push(item);
        if (items.length >= max) return items;
      }
    }
    return items;
  }

  #firstPage(): Promise<P> {
    this.#first ??= Promise.resolve(this.fetchPage(this.startCursor));
    return this.#first;
  }
}
