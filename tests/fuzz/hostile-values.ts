import fc from 'fast-check';

// Values an outside tester tries first. Mixed into every string, number and path parameter.

/** A JSON number token written as is (`1e309`, `NaN`): JSON.stringify cannot produce them. */
export class RawJson {
  constructor(readonly text: string) {}
  toJSON(): string {
    return `\u0000raw:${this.text}\u0000`;
  }
}

/** Text put into a URL exactly as is, without percent-encoding: malformed escapes. */
export class RawUrl {
  constructor(readonly text: string) {}
}

const LONG = 10_000;

export const HOSTILE_STRINGS: readonly string[] = [
  'a\u0000b', // NUL: PostgreSQL refuses it in text
  '\u0000',
  '\ud800', // lone high surrogate
  'x\udc00y', // lone low surrogate
  'x'.repeat(LONG),
  'é'.repeat(LONG),
  '\u202Egnp.exe\u202C', // right-to-left override
  'مرحبا بالعالم',
  'שלום עולם',
  'e\u0301\u0302\u0303\u0304\u0305', // stacked combining marks
  'Z\u0336\u0337\u0338a\u0489\u0489',
  'Infinity',
  'NaN',
  '1e309',
  '-0',
  '%zz',
  '%FF',
  '%C0%AE%C0%AE',
  ' ',
  '\t\r\n',
  "'; drop table reviews; --",
  '../../etc/passwd',
  '<script>alert(1)</script>',
  '{"$gt":""}',
  '\ufeffbom',
  '🎞️📷👩🏽‍💻',
];

export const hostileString: fc.Arbitrary<string> = fc.oneof(
  { arbitrary: fc.constantFrom(...HOSTILE_STRINGS), weight: 4 },
  // a hostile value inside ordinary text
  {
    arbitrary: fc.tuple(fc.string({ maxLength: 6 }), fc.constantFrom(...HOSTILE_STRINGS.filter((s) => s.length < 100))).map(([a, b]) => `${a}${b}${a}`),
    weight: 1,
  },
);

/** Numbers in JSON bodies: tokens JSON forbids (NaN, Infinity), overflow to Infinity, negative zero, beyond 2^53. */
export const hostileNumber: fc.Arbitrary<unknown> = fc.constantFrom<unknown>(
  new RawJson('Infinity'),
  new RawJson('-Infinity'),
  new RawJson('NaN'),
  new RawJson('1e309'),
  new RawJson('-1e309'),
  new RawJson('-0'),
  new RawJson('1e-400'),
  new RawJson('9007199254740993'),
  0.30000000000000004,
  -1,
  Number.MAX_SAFE_INTEGER,
  'Infinity',
  '5',
);

/** Numbers as query or path text: not finite, overflowing to Infinity, negative zero, other spellings. */
export const hostileNumberText: fc.Arbitrary<string> = fc.constantFrom(
  'Infinity',
  '-Infinity',
  'NaN',
  '1e309',
  '-1e309',
  '-0',
  '0x10',
  '1e2',
  '1_000',
  ' 5',
  '',
);

/** Malformed percent-escapes and invalid UTF-8, for URLs. */
export const MALFORMED_ESCAPES = ['%zz', '%FF', '%C0%AE%C0%AE', '%', '%2', 'a%E0%A4%A', '%ED%A0%80'] as const;

/** A hostile query or path value: a hostile string (percent-encoded) or a malformed escape sent raw. */
export const hostileUrlValue: fc.Arbitrary<string | RawUrl> = fc.oneof(
  { arbitrary: hostileString, weight: 3 },
  { arbitrary: fc.constantFrom(...MALFORMED_ESCAPES).map((text) => new RawUrl(text)), weight: 2 },
  { arbitrary: fc.constantFrom('Infinity', 'NaN', '1e309', '-0', '', '..', '.'), weight: 2 },
);

/** JSON text of a value, with RawJson tokens written verbatim. */
export function toJsonText(value: unknown): string {
  return JSON.stringify(value).replace(/"\\u0000raw:([^"\\]*)\\u0000"/g, '$1');
}
