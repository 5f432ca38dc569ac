import fs from 'node:fs';
import type { RequestListener, ServerResponse } from 'node:http';
import path from 'node:path';
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import * as ajvFormats from 'ajv-formats';
import { loadContract, type OpenApiDocument } from '../../src/http/contract.js';
import { documentedOperations, type CoverageRecord, type DocumentedOperation } from './contract-coverage-report.js';

// Records, server-side, every (operation, status) the app answers in the tests, with whether the answer
// conformed to the contract (media type, JSON body against its schema). Wrapping the request listener
// sees every answer: the cached fast path, the public read lane, Express, and any client (SDK tests too).
// Each jest worker appends its records to COVERAGE_DIR; `npm run contract:coverage` reads them.

export const COVERAGE_DIR = path.resolve(import.meta.dirname, '../../.contract-coverage');

const CONTRACT_ID = 'contract.json';
/** Bodies beyond this are not kept for validation (none of the API's should come near). */
const MAX_CAPTURED_BYTES = 4 * 1024 * 1024;

// ajv-formats is CommonJS with an `exports.default`: under NodeNext the plugin is that default
const addFormats = ajvFormats.default as unknown as (ajv: Ajv2020) => Ajv2020;

export function withContractCoverage(listener: RequestListener): RequestListener {
  return (req, res) => {
    const sent = captureResponse(res);
    // read now: Express rewrites req.url inside mounted routers (/docs) and may not restore it
    const asSent = { method: req.method, url: req.url };
    res.on('finish', () => {
      const { body, contentType } = sent();
      write(recordOf(asSent, { statusCode: res.statusCode, contentType }, body));
    });
    listener(req, res);
  };
}

/** Where the request went in the contract, and whether the answer conformed. */
export function recordOf(req: { method?: string; url?: string }, res: { statusCode: number; contentType: string }, body: Buffer | undefined): CoverageRecord {
  const contract = contractOnce();
  const method = (req.method ?? 'GET').toUpperCase();
  const pathname = (req.url ?? '/').split('?')[0] as string;
  // HEAD is the GET without its body (RFC 9110 §9.3.2): it answers for the GET operation
  const operation = contract.match(method === 'HEAD' ? 'GET' : method, pathname);
  if (!operation) {
    // ids folded, so the report's list of such requests stays short and the same from run to run
    const shown = pathname.slice(0, 120).replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi, '{uuid}');
    return { operationId: null, method, status: res.statusCode, problems: [], path: shown };
  }
  const status = String(res.statusCode);
  const problems = operation.statuses.includes(status) ? contract.check(operation, status, res.contentType, method === 'HEAD' ? undefined : body) : [];
  return { operationId: operation.operationId, method, status: res.statusCode, problems };
}

type Contract = {
  match(method: string, pathname: string): DocumentedOperation | undefined;
  check(operation: DocumentedOperation, status: string, contentType: string, body: Buffer | undefined): string[];
};

let contract: Contract | undefined;
const contractOnce = () => (contract ??= compileContract(loadContract()));

function compileContract(doc: OpenApiDocument): Contract {
  const operations = documentedOperations(doc).map((operation) => ({
    operation,
    // apiOperations lists literal segments first: /content/compare is tried before /content/{idOrSlug}
    pattern: new RegExp(`^${operation.path.replace(/[.]/g, '\\.').replace(/\{\w+\}/g, '[^/]+')}$`),
  }));
  // the contract is checked as a whole at every app start (express-openapi-validator's validateApiSpec)
  const ajv = addFormats(new Ajv2020({ strict: false, validateSchema: false, allErrors: true }));
  ajv.addSchema({ ...structuredClone(doc), $id: CONTRACT_ID });
  const validators = new Map<string, ValidateFunction>();

  return {
    match: (method, pathname) => operations.find((o) => o.operation.method === method && o.pattern.test(pathname))?.operation,

    check(operation, status, contentType, body) {
      const { pointer, response } = responseObject(doc, operation, status);
      const mediaType = contentType.split(';')[0]?.trim() ?? '';
      if (!body || body.length === 0) return [];
      const content = response.content ?? {};
      if (!(mediaType in content)) return [`media type '${mediaType}' not documented (${Object.keys(content).join(', ') || 'no body'})`];
      if (!/json$/.test(mediaType)) return [];
      const key = `${pointer}|${mediaType}`;
      let validate = validators.get(key);
      if (!validate) {
        validate = ajv.compile({ $ref: `${CONTRACT_ID}#${pointer}/content/${escape(mediaType)}/schema` });
        validators.set(key, validate);
      }
      let parsed: unknown;
      try {
        parsed = JSON.parse(body.toString('utf8'));
      } catch {
        return ['body is not JSON'];
      }
      if (validate(parsed)) return [];
      return (validate.errors ?? []).slice(0, 3).map((e) => `body${e.instancePath} ${e.message ?? 'invalid'}`);
    },
  };
}

type ResponseObject = { $ref?: string; content?: Record<string, unknown> };

/** The response object for a status, followed through its $ref, and its JSON pointer in the contract. */
function responseObject(doc: OpenApiDocument, operation: DocumentedOperation, status: string): { pointer: string; response: ResponseObject } {
  const specPath = operation.path.startsWith('/v1/') ? operation.path.slice(3) : operation.path;
  const responses = (doc.paths[specPath]?.[operation.method.toLowerCase()] as { responses: Record<string, ResponseObject> }).responses;
  const own = responses[status] as ResponseObject;
  if (!own.$ref) return { pointer: `/paths/${escape(specPath)}/${operation.method.toLowerCase()}/responses/${status}`, response: own };
  const name = own.$ref.replace('#/components/responses/', '');
  const shared = (doc.components as { responses: Record<string, ResponseObject> }).responses[name] as ResponseObject;
  return { pointer: `/components/responses/${escape(name)}`, response: shared };
}

const escape = (segment: string) => segment.replace(/~/g, '~0').replace(/\//g, '~1');

/** What the listener sent, kept until `finish`: the body (write() or end()) and a Content-Type given to writeHead(). */
function captureResponse(res: ServerResponse): () => { body: Buffer | undefined; contentType: string } {
  const chunks: Buffer[] = [];
  let size = 0;
  let headContentType: string | undefined;
  const keep = (chunk: unknown, encoding: unknown) => {
    if (chunk === undefined || chunk === null || typeof chunk === 'function' || size > MAX_CAPTURED_BYTES) return;
    const buffer =
      typeof chunk === 'string' ? Buffer.from(chunk, typeof encoding === 'string' ? (encoding as BufferEncoding) : 'utf8') : Buffer.from(chunk as Uint8Array);
    size += buffer.length;
    chunks.push(buffer);
  };
  const writeHead = res.writeHead.bind(res) as (...args: unknown[]) => ServerResponse;
  const write = res.write.bind(res) as (...args: unknown[]) => boolean;
  const end = res.end.bind(res) as (...args: unknown[]) => ServerResponse;
  res.writeHead = (...args: unknown[]) => {
    headContentType = contentTypeIn(args.find((a) => typeof a === 'object' && a !== null));
    return writeHead(...args);
  };
  res.write = ((...args: unknown[]) => {
    keep(args[0], args[1]);
    return write(...args);
  }) as ServerResponse['write'];
  res.end = ((...args: unknown[]) => {
    keep(args[0], args[1]);
    return end(...args);
  }) as ServerResponse['end'];
  return () => ({
    body: size > MAX_CAPTURED_BYTES ? undefined : Buffer.concat(chunks),
    contentType: String(res.getHeader('content-type') ?? headContentType ?? ''),
  });
}

/** writeHead's headers: an object, a flat [name, value, …] list, or a list of pairs. */
function contentTypeIn(headers: unknown): string | undefined {
  if (!headers) return undefined;
  const flat: unknown[] = Array.isArray(headers) ? headers.flat() : Object.entries(headers).flat();
  for (let i = 0; i < flat.length - 1; i += 2) if (String(flat[i]).toLowerCase() === 'content-type') return String(flat[i + 1]);
  return undefined;
}

// One line per distinct record per test file (jest gives each file its own module registry).
const written = new Set<string>();

function write(record: CoverageRecord): void {
  const line = JSON.stringify(record);
  if (written.has(line)) return;
  written.add(line);
  fs.mkdirSync(COVERAGE_DIR, { recursive: true });
  fs.appendFileSync(path.join(COVERAGE_DIR, `${process.pid}.jsonl`), `${line}\n`);
}

export function readContractCoverage(): CoverageRecord[] {
  if (!fs.existsSync(COVERAGE_DIR)) return [];
  return fs
    .readdirSync(COVERAGE_DIR)
    .filter((f) => f.endsWith('.jsonl'))
    .flatMap((f) => fs.readFileSync(path.join(COVERAGE_DIR, f), 'utf8').split('\n').filter(Boolean))
    .map((line) => JSON.parse(line) as CoverageRecord);
}
