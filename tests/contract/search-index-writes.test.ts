import { editorWithProduct, writeReview } from '../support/fixtures.js';
import { useTestApp } from '../support/test-app.js';

// A published review's search entries go straight into the search indexes (migration 014), so no
// search reads through a pending list and no later write pays for merging one. gin_clean_pending_list
// returns how many pending-list pages it merged: 0 when the entries were written through.

const SEARCH_INDEXES = ['reviews_search_facets_idx', 'reviews_search_weeks_idx'];

describe('search index writes', () => {
  const app = useTestApp();

  test('when an editor publishes a review, then its search entries are in the search indexes at once, none left pending', async () => {
    const { editor, product } = await editorWithProduct(app);
    await writeReview(app, editor, product.id, { title: 'Pending list check' });

    const pendingPages: Record<string, number> = {};
    for (const index of SEARCH_INDEXES) {
      const { rows } = await app.db.knex.raw<{ rows: { pages: number }[] }>('select gin_clean_pending_list(?::regclass)::int as pages', [index]);
      pendingPages[index] = rows[0]?.pages ?? -1;
    }

    expect(pendingPages).toEqual({ reviews_search_facets_idx: 0, reviews_search_weeks_idx: 0 });
  });
});
