import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import * as ajvFormats from 'ajv-formats';
import { isUuid } from '../../ids.js';
import type { OpenApiDocument } from '../contract.js';

// Validators compiled straight from the contract. Requests: for the public read lane, which answers
// without Express and so without express-openapi-validator; the same library (Ajv, JSON Schema 2020-12)
// with the same coercion of query strings. Where they could differ the lane is the stricter one
// (uuid, parsing), and a request it rejects goes on to the full stack, which gives the documented error.
// Responses (where config.validateResponses, as in tests): for the lane and for Express alike
// (src/http/response-check.ts). The contract is added to Ajv once and each body's schema compiled as a
// reference into it; express-openapi-validator's response validation compiled each one with the whole
// contract inside, about 0.2 s a status, half the CPU of a contract test file.

const CONTRACT_ID = 'contract.json';

type Parameter = { name: string; in: string; required?: boolean; style?: string; explode?: boolean; schema?: Record<string, unknown> };
type Operation = { parameters?: (Parameter | { $ref: string })[] };

export type ParameterValidator = {
  /** Query parameters sent as one comma-separated value (style form, explode false): split before validation. */
  commaSeparated: ReadonlySet<string>;
  /** Coerces in place (numbers, integers, defaults) as the validator middleware does; true when valid. */
  query: ValidateFunction;
  path: ValidateFunction;
};

// ajv-formats is CommonJS with an `exports.default`: under NodeNext the plugin is that default
const addFormats = ajvFormats.default as unknown as (ajv: Ajv2020, only?: string[]) => Ajv2020;

// One set per contract document in a process: every runtime built on it (tests start several) shares
// the compiled functions, which hold no state between calls.
const shared = new WeakMap<OpenApiDocument, ReturnType<typeof compileContractValidators>>();

export function createContractValidators(doc: OpenApiDocument) {
  let validators = shared.get(doc);
  if (!validators) shared.set(doc, (validators = compileContractValidators(doc)));
  return validators;
}

function compileContractValidators(doc: OpenApiDocument) {
  const contract = structuredClone(doc) as OpenApiDocument & { $id?: string };
  contract.$id = CONTRACT_ID;
  // validateSchema off, as express-openapi-validator sets it for its own request validators: its start
  // checks the whole contract against the OpenAPI 3.1 schema (validateApiSpec), and checking each Ajv's
  // copy against the JSON Schema meta-schema again compiled that meta-schema per instance (~0.1 s each)
  const requests = new Ajv2020({ strict: false, validateSchema: false, coerceTypes: true, useDefaults: true, allErrors: false });
  requests.addFormat('uuid', { type: 'string', validate: isUuid });
  // the OpenAPI integer formats that parameters name (`limit` is int32), as the validator middleware knows them
  addFormats(requests, ['int32', 'int64']);
  requests.addSchema(contract);
  // only where responses are checked (config.validateResponses): a production start never builds it
  let responses: Ajv2020 | undefined;
  const responseAjv = () => {
    if (!responses) {
      responses = addFormats(new Ajv2020({ strict: false, validateSchema: false, allErrors: true }));
      responses.addSchema(contract);
    }
    return responses;
  };

  const operationOf = (path: string, method: string) => (doc.paths[path]?.[method] ?? {}) as Operation;
  const pointer = (path: string) => path.replace(/~/g, '~0').replace(/\//g, '~1');

  const compiled = new Map<string, unknown>();
  const once = <T>(key: string, compile: () => T): T => {
    if (!compiled.has(key)) compiled.set(key, compile());
    return compiled.get(key) as T;
  };

  return {
    parameters: (path: string, method: string): ParameterValidator => once(`${method} ${path}`, () => parametersOf(path, method)),
    /**
     * The JSON body of a response, as the contract describes it for this status. A status the
     * operation does not document with an application/json body fails every body, with that reason.
     */
    response: (path: string, method: string, status: number): ValidateFunction =>
      once(`${method} ${path} ${status}`, () => {
        const at = jsonResponseSchema(path, method, status);
        return at ? responseAjv().compile({ $ref: `${CONTRACT_ID}#${at}` }) : undocumented(`${status} is not documented with an application/json body`);
      }),
  };

  /** The JSON pointer to the schema of this response's application/json body, through a `$ref` to components. */
  function jsonResponseSchema(path: string, method: string, status: number): string | undefined {
    const operation = operationOf(path, method) as { responses?: Record<string, { $ref?: string; content?: Record<string, { schema?: unknown }> }> };
    const response = operation.responses?.[String(status)];
    if (!response) return undefined;
    const ref = response.$ref;
    const at = ref ? ref.slice(1) : `/paths/${pointer(path)}/${method}/responses/${status}`;
    const resolved = ref
      ? (doc.components as { responses?: Record<string, typeof response> } | undefined)?.responses?.[ref.replace('#/components/responses/', '')]
      : response;
    return resolved?.content?.['application/json']?.schema ? `${at}/content/application~1json/schema` : undefined;
  }

  function parametersOf(path: string, method: string): ParameterValidator {
    const parameters = (operationOf(path, method).parameters ?? []).map((p) => resolveParameter(doc, p));
    const objectOf = (location: string) => {
      const own = parameters.filter((p) => p.in === location);
      return {
        type: 'object',
        properties: Object.fromEntries(own.map((p) => [p.name, absoluteRefs(p.schema ?? {})])),
        required: own.filter((p) => p.required).map((p) => p.name),
        additionalProperties: false,
      };
    };
    return {
      commaSeparated: new Set(parameters.filter((p) => p.in === 'query' && p.explode === false && p.schema?.type === 'array').map((p) => p.name)),
      query: requests.compile(objectOf('query')),
      path: requests.compile(objectOf('path')),
    };
  }
}

export type ContractValidators = ReturnType<typeof createContractValidators>;

function undocumented(reason: string): ValidateFunction {
  const validate = (() => {
    validate.errors = [{ instancePath: '', schemaPath: '#', keyword: 'responses', params: {}, message: reason }];
    return false;
  }) as unknown as ValidateFunction;
  return validate;
}

function resolveParameter(doc: OpenApiDocument, parameter: Parameter | { $ref: string }): Parameter {
  if (!('$ref' in parameter)) return parameter;
  const name = parameter.$ref.replace('#/components/parameters/', '');
  const found = (doc.components as { parameters?: Record<string, Parameter> } | undefined)?.parameters?.[name];
  if (!found) throw new Error(`The contract has no parameter ${parameter.$ref}`);
  return found;
}

/** A schema lifted out of the contract keeps pointing into it. */
function absoluteRefs(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(absoluteRefs);
  if (typeof schema !== 'object' || schema === null) return schema;
  return Object.fromEntries(
    Object.entries(schema).map(([key, value]) => [
      key,
      key === '$ref' && typeof value === 'string' && value.startsWith('#') ? `${CONTRACT_ID}${value}` : absoluteRefs(value),
    ]),
  );
}
