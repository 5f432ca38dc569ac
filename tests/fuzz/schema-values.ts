import fc from 'fast-check';
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import * as ajvFormats from 'ajv-formats';
import type { Schema } from './contract-operations.js';
import { hostileNumber, hostileString, RawJson } from './hostile-values.js';

// fast-check arbitraries derived from the contract's JSON Schemas (no maintained json-schema →
// fast-check library exists on npm). `schemaValue` follows the schema, optionally with hostile
// values mixed into its string and number leaves; `invalidValue` breaks exactly one rule and is
// checked against the schema with Ajv, so "invalid" is never a guess.

// ajv-formats is CommonJS with an `exports.default`: under NodeNext the plugin is that default
const addFormats = ajvFormats.default as unknown as (ajv: Ajv2020) => Ajv2020;

/** Ajv as the contract means it (JSON Schema 2020-12, formats checked). */
export function contractAjv(options: { coerceTypes?: boolean } = {}): Ajv2020 {
  const ajv = addFormats(new Ajv2020({ strict: false, allErrors: true, validateFormats: true, coerceTypes: options.coerceTypes ?? false }));
  ajv.addFormat('password', true);
  return ajv;
}

const ajv = contractAjv();
const compiled = new WeakMap<Schema, ValidateFunction>();
export function validatorFor(schema: Schema): ValidateFunction {
  let validate = compiled.get(schema);
  if (!validate) compiled.set(schema, (validate = ajv.compile(schema)));
  return validate;
}

/** Free text stays short; hostile values bring the 10k-character strings. */
const TEXT_SPAN = 24;
const ARRAY_SPAN = 3;

type Mode = { hostile: boolean };

const types = (schema: Schema): string[] => (Array.isArray(schema.type) ? schema.type : schema.type ? [schema.type as string] : []);
const num = (value: unknown, fallback: number) => (typeof value === 'number' ? value : fallback);

export function schemaValue(schema: Schema, mode: Mode = { hostile: false }): fc.Arbitrary<unknown> {
  if ('const' in schema) return fc.constant(schema.const);
  if (Array.isArray(schema.enum)) return fc.constantFrom(...schema.enum);
  const alternatives = (schema.oneOf ?? schema.anyOf) as Schema[] | undefined;
  if (alternatives) return fc.oneof(...alternatives.map((s) => schemaValue(s, mode)));
  if (Array.isArray(schema.allOf)) return schemaValue(mergeAllOf(schema.allOf as Schema[]), mode);
  const kinds = types(schema);
  if (kinds.length > 1) return fc.oneof(...kinds.map((type) => schemaValue({ ...schema, type }, mode)));
  const withHostile = (valid: fc.Arbitrary<unknown>, hostile: fc.Arbitrary<unknown>) =>
    mode.hostile ? fc.oneof({ arbitrary: valid, weight: 3 }, { arbitrary: hostile, weight: 1 }) : valid;
  switch (kinds[0]) {
    case 'null':
      return fc.constant(null);
    case 'boolean':
      return fc.boolean();
    case 'integer':
      return withHostile(fc.integer({ min: num(schema.minimum, -1_000_000), max: num(schema.maximum, 1_000_000) }), hostileNumber);
    case 'number':
      return withHostile(numberValue(schema), hostileNumber);
    case 'string':
      return withHostile(stringValue(schema), hostileString);
    case 'array':
      return arrayValue(schema, mode);
    case 'object':
      return objectValue(schema, mode);
    default:
      return fc.anything();
  }
}

function numberValue(schema: Schema): fc.Arbitrary<number> {
  const min = num(schema.minimum, -1_000_000);
  const max = num(schema.maximum, 1_000_000);
  if (typeof schema.multipleOf === 'number') {
    const step = schema.multipleOf;
    return fc.integer({ min: Math.ceil(min / step), max: Math.floor(max / step) }).map((k) => k * step);
  }
  return fc.double({ min, max, noNaN: true, noDefaultInfinity: true });
}

function stringValue(schema: Schema): fc.Arbitrary<string> {
  const minLength = num(schema.minLength, 0);
  const maxLength = Math.min(num(schema.maxLength, 10_000), minLength + TEXT_SPAN);
  const fits = (s: string) => validatorFor(schema)(s);
  switch (schema.format) {
    case 'uuid':
      return fc.uuid();
    case 'email':
      return fc.emailAddress().filter(fits);
    case 'uri':
      return fc.webUrl({ validSchemes: ['https'] }).filter(fits);
    case 'date-time':
      return fc.date({ noInvalidDate: true, min: new Date(0), max: new Date(4_000_000_000_000) }).map((d) => d.toISOString());
  }
  if (typeof schema.pattern === 'string') {
    return fc.stringMatching(new RegExp(schema.pattern, 'u'), { size: 'small' }).filter(fits);
  }
  const unit = fc.oneof(fc.constantFrom(...'abcdefghijklmnopqrstuvwxyz ABC0123456789-'), fc.string({ unit: 'grapheme-composite', minLength: 1, maxLength: 1 }));
  return fc.string({ unit, minLength, maxLength }).filter(fits);
}

function arrayValue(schema: Schema, mode: Mode): fc.Arbitrary<unknown[]> {
  const items = schemaValue((schema.items as Schema | undefined) ?? {}, mode);
  const minLength = num(schema.minItems, 0);
  const maxLength = Math.min(num(schema.maxItems, 100), minLength + ARRAY_SPAN);
  return schema.uniqueItems ? fc.uniqueArray(items, { minLength, maxLength, selector: (v) => JSON.stringify(v) }) : fc.array(items, { minLength, maxLength });
}

function objectValue(schema: Schema, mode: Mode): fc.Arbitrary<Record<string, unknown>> {
  const properties = (schema.properties ?? {}) as Record<string, Schema>;
  const required = (schema.required ?? []) as string[];
  const record = fc.record(Object.fromEntries(Object.entries(properties).map(([name, s]) => [name, schemaValue(s, mode)])), {
    requiredKeys: required.filter((name) => name in properties),
  }) as fc.Arbitrary<Record<string, unknown>>;
  const minProperties = num(schema.minProperties, 0);
  return minProperties > 0 ? record.filter((o) => Object.keys(o).length >= minProperties) : record;
}

function mergeAllOf(parts: Schema[]): Schema {
  const flat = parts.map((p) => (Array.isArray(p.allOf) ? mergeAllOf(p.allOf as Schema[]) : p));
  return {
    type: 'object',
    properties: Object.assign({}, ...flat.map((p) => p.properties ?? {})),
    required: flat.flatMap((p) => (p.required ?? []) as string[]),
  };
}

/** A value that breaks the schema in one way: wrong type, out of range, too long or short, off-pattern, a member missing or extra. */
export function invalidValue(schema: Schema): fc.Arbitrary<unknown> {
  const candidates: fc.Arbitrary<unknown>[] = [fc.constantFrom<unknown>(null, true, 12.5, 'not-valid-zz', [], {})];
  const min = schema.minimum;
  const max = schema.maximum;
  if (types(schema).some((t) => t === 'number' || t === 'integer')) {
    candidates.push(fc.constantFrom(new RawJson('1e309'), new RawJson('-1e309'), new RawJson('Infinity'), new RawJson('NaN')));
  }
  if (typeof min === 'number') candidates.push(fc.constantFrom(min - 1, min - 0.25));
  if (typeof max === 'number') candidates.push(fc.constantFrom(max + 1, max + 0.25, 1e21));
  if (typeof schema.multipleOf === 'number') candidates.push(fc.constant(num(min, 0) + schema.multipleOf / 3));
  if (typeof schema.maxLength === 'number') candidates.push(fc.constant('x'.repeat(schema.maxLength + 1)));
  if (typeof schema.minLength === 'number' && schema.minLength > 0) candidates.push(fc.constant('y'.repeat(schema.minLength - 1)));
  if (schema.pattern || schema.format)
    candidates.push(fc.constantFrom(' leading', 'trailing ', ' ', 'x!y', 'http://plain.example/a', 'no-at-sign', '00000000-0000-0000-0000-00000000000g'));
  if (typeof schema.maxItems === 'number')
    candidates.push(fc.array(schemaValue((schema.items as Schema) ?? {}), { minLength: schema.maxItems + 1, maxLength: schema.maxItems + 1 }));
  if (schema.items) candidates.push(invalidValue(schema.items as Schema).map((item) => [item]));
  if (schema.properties) candidates.push(brokenObject(schema));
  const validate = validatorFor(schema);
  return fc.oneof(...candidates).filter((v) => !validate(v));
}

function brokenObject(schema: Schema): fc.Arbitrary<unknown> {
  const properties = Object.entries((schema.properties ?? {}) as Record<string, Schema>);
  const required = (schema.required ?? []) as string[];
  // built once, not in every run (see requestArbitrary)
  const invalidMembers = properties.map(([, propertySchema]) => invalidValue(propertySchema));
  return fc.tuple(objectValue(schema, { hostile: false }), fc.nat(), fc.constantFrom('drop', 'extra', 'break')).chain(([valid, n, how]) => {
    const name = (properties[n % properties.length] as [string, Schema])[0];
    if (how === 'drop' && required.length > 0) {
      const { [required[n % required.length] as string]: _dropped, ...rest } = valid;
      return fc.constant<unknown>(rest);
    }
    if (how === 'extra') return fc.constant<unknown>({ ...valid, zz_unknown_member: 1 });
    return (invalidMembers[n % properties.length] as fc.Arbitrary<unknown>).map((bad) => ({ ...valid, [name]: bad }));
  });
}
