import { fingerprintOf } from '../../src/domain/idempotency.js';

// A repeat under an Idempotency-Key is the same request when its body means the same JSON; the
// fingerprint decides, so it must ignore how the body was written and nothing else.

const review = { product_id: 'p1', title: 'Café test', pros: ['Sharp', 'Light'], images: [{ url: 'https://i.example/a.jpg', alt: 'A' }], verdict_score: 8.5 };

describe('request fingerprint', () => {
  test('when members come in another order, at any depth, then the fingerprint is the same', () => {
    const reordered = {
      verdict_score: 8.5,
      images: [{ alt: 'A', url: 'https://i.example/a.jpg' }],
      pros: ['Sharp', 'Light'],
      title: 'Café test',
      product_id: 'p1',
    };

    expect(fingerprintOf(reordered)).toBe(fingerprintOf(review));
  });

  test('when the body was parsed from differently spaced JSON, then the fingerprint is the same', () => {
    expect(fingerprintOf(JSON.parse(JSON.stringify(review, null, 4)))).toBe(fingerprintOf(review));
  });

  test.each([
    ['an array in another order', { pros: ['Light', 'Sharp'] }],
    ['another number', { verdict_score: 9 }],
    ['a nested value changed', { images: [{ url: 'https://i.example/a.jpg', alt: 'B' }] }],
    ['one more member', { status: 'draft' }],
    ['a string where a number was', { verdict_score: '8.5' }],
  ])('when the body has %s, then the fingerprint differs', (_case, change) => {
    expect(fingerprintOf({ ...review, ...change })).not.toBe(fingerprintOf(review));
  });

  test('when member names would collide once joined, then the fingerprints still differ', () => {
    expect(fingerprintOf({ 'a":"b': 'c' })).not.toBe(fingerprintOf({ a: 'b":"c' }));
  });

  test('when a body is fingerprinted, then the fingerprint is a sha-256 in hex', () => {
    expect(fingerprintOf(review)).toMatch(/^[0-9a-f]{64}$/);
  });
});
