import { slugify } from '../../src/domain/slug.js';

const SUFFIX = '[0-9a-z]{6}';
/** What GET /content/{idOrSlug} accepts: a slug that breaks it makes the review unreachable. */
const CONTRACT_SLUG = /^[A-Za-z0-9-]{1,120}$/;

describe('slugify', () => {
  test('when the title has punctuation and capitals, then they collapse to single hyphens in lower case', () => {
    expect(slugify('Fujifilm X-T5: dials & 40 MP!')).toMatch(new RegExp(`^fujifilm-x-t5-dials-40-mp-${SUFFIX}$`));
    expect(slugify('  --Leica   M11!!!  (Monochrom) -- ')).toMatch(new RegExp(`^leica-m11-monochrom-${SUFFIX}$`));
  });

  test('when the title has diacritics or ligatures, then they become plain ASCII letters', () => {
    expect(slugify('Ça coûte — Señor Café, Zoë')).toMatch(new RegExp(`^ca-coute-senor-cafe-zoe-${SUFFIX}$`));
    expect(slugify('Ｆｕｊｉ ﬁlm')).toMatch(new RegExp(`^fuji-film-${SUFFIX}$`));
  });

  test('when the title is very long, then the slug is bounded and does not end its base with a hyphen', () => {
    const long = slugify('a'.repeat(500));
    const cutAtSpace = slugify(`${'a'.repeat(99)} bcdef`);

    expect(long).toMatch(new RegExp(`^a{100}-${SUFFIX}$`));
    expect(cutAtSpace).toMatch(new RegExp(`^a{99}-${SUFFIX}$`));
  });

  test('when the title has nothing to keep, then the slug is review plus the suffix', () => {
    for (const title of ['', '   ', '!!!', '日本語のレビュー', '🙂📷']) {
      expect({ title, slug: slugify(title) }).toEqual({ title, slug: expect.stringMatching(new RegExp(`^review-${SUFFIX}$`)) });
    }
  });

  test('when the same title is slugified many times, then every slug is different', () => {
    const slugs = Array.from({ length: 200 }, () => slugify('Sony A7 IV review'));
    expect(new Set(slugs).size).toBe(slugs.length);
  });

  test('when titles of any shape up to the contract maximum are slugified, then every slug is a valid idOrSlug', () => {
    const titles = ['x', 'A'.repeat(160), `${'ä-'.repeat(80)}`, `${'word '.repeat(32)}`.trim(), '-'.repeat(160), 'Ø Æ ß ł'];
    for (const title of titles) {
      const slug = slugify(title);
      expect({ title, slug, valid: CONTRACT_SLUG.test(slug) && !/--|^-|-$/.test(slug) }).toEqual({ title, slug, valid: true });
    }
  });
});
