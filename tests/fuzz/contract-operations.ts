import { dereference } from '@apidevtools/json-schema-ref-parser';
import { HTTP_METHODS, loadContract } from '../../src/http/contract.js';

// The contract with every $ref resolved, flattened into the operations the fuzzer drives: what each
// takes (parameters, body) and what it may answer (statuses, headers, bodies).

export type Schema = Record<string, unknown>;
export type Parameter = { name: string; in: 'path' | 'query' | 'header'; required: boolean; schema: Schema; explode?: boolean };
export type ResponseSpec = { headers: Record<string, Schema>; content?: Record<string, Schema> };

export type FuzzOperation = {
  operationId: string;
  method: 'get' | 'post' | 'put' | 'patch' | 'delete';
  /** The path template as the server sees it (`/v1/reviews/{reviewId}`, `/livez`). */
  path: string;
  parameters: Parameter[];
  body?: { required: boolean; mediaType: string; schema: Schema };
  secured: boolean;
  adminOnly: boolean;
  responses: Record<string, ResponseSpec>;
};

type RawOperation = {
  operationId: string;
  parameters?: (Parameter & { schema?: Schema })[];
  requestBody?: { required?: boolean; content: Record<string, { schema: Schema }> };
  security?: Record<string, string[]>[];
  'x-required-role'?: string;
  responses: Record<string, { headers?: Record<string, { schema: Schema }>; content?: Record<string, { schema: Schema }> }>;
};

export async function loadFuzzOperations(): Promise<FuzzOperation[]> {
  const doc = (await dereference(structuredClone(loadContract()))) as unknown as {
    servers: { url: string }[];
    security?: Record<string, string[]>[];
    paths: Record<string, Record<string, unknown> & { servers?: { url: string }[] }>;
  };
  const operations: FuzzOperation[] = [];
  for (const [path, item] of Object.entries(doc.paths)) {
    const prefix = (item.servers ?? doc.servers)[0]?.url.replace(/\/$/, '') ?? '';
    for (const method of HTTP_METHODS) {
      const op = item[method] as RawOperation | undefined;
      if (!op) continue;
      const [mediaType, media] = Object.entries(op.requestBody?.content ?? {})[0] ?? [];
      operations.push({
        operationId: op.operationId,
        method,
        path: `${prefix}${path}`,
        parameters: (op.parameters ?? []).map((p) => ({ ...p, required: p.required === true, schema: p.schema ?? {} })),
        ...(mediaType && media && { body: { required: op.requestBody?.required === true, mediaType, schema: media.schema } }),
        secured: (op.security ?? doc.security ?? []).some((s) => Object.keys(s).length > 0),
        adminOnly: op['x-required-role'] === 'admin',
        responses: Object.fromEntries(
          Object.entries(op.responses).map(([status, r]) => [
            status,
            {
              headers: Object.fromEntries(Object.entries(r.headers ?? {}).map(([name, h]) => [name.toLowerCase(), h.schema])),
              ...(r.content && { content: Object.fromEntries(Object.entries(r.content).map(([type, c]) => [type, c.schema])) }),
            },
          ]),
        ),
      });
    }
  }
  return operations;
}
