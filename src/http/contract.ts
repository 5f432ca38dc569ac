import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import { load } from 'js-yaml';

// The contract, read once. Everything HTTP (validation, routes, auth, docs) is driven by it.
// js-yaml rather than `yaml` here: the same document, parsed in about 0.1 s instead of 0.5 s by a cold
// process, which every start of the service (and every test file that starts an app) pays.

export const SPEC_PATH = fileURLToPath(new URL('../../openapi/reviews.yaml', import.meta.url));

export type OperationObject = {
  operationId: string;
  security?: Record<string, string[]>[];
  'x-required-role'?: 'admin';
  'x-allowed-with-initial-password'?: boolean;
  'x-rate-limit'?: string[];
  parameters?: ({ $ref: string } | { name: string; in: string; required?: boolean })[];
};
export type OpenApiDocument = {
  openapi: string;
  paths: Record<string, Record<string, unknown> & { servers?: unknown[] }>;
  [key: string]: unknown;
};

export const HTTP_METHODS = ['get', 'post', 'put', 'patch', 'delete'] as const;
export type HttpMethod = (typeof HTTP_METHODS)[number];

export type ContractOperation = {
  method: HttpMethod;
  /** The path template under /v1, in Express syntax (`/reviews/:reviewId`). */
  expressPath: string;
  operationId: string;
  requiresAuth: boolean;
  role: 'editor' | 'admin';
  /** Callable while the account still has the password an admin set. */
  allowedWithInitialPassword: boolean;
  /** Names of the request quotas that apply (src/http/rate-limits.ts). */
  rateLimits: readonly string[];
  /** The contract requires `If-Match` (a conditional edit): without it, 428. */
  requiresIfMatch: boolean;
};

let cached: OpenApiDocument | undefined;

export function loadContract(): OpenApiDocument {
  cached ??= load(fs.readFileSync(SPEC_PATH, 'utf8')) as OpenApiDocument;
  return cached;
}

/** The /v1 operations; ops paths (with their own `servers`) are served outside the validator. */
export function apiOperations(doc: OpenApiDocument): ContractOperation[] {
  const operations: ContractOperation[] = [];
  for (const [path, item] of Object.entries(doc.paths)) {
    if (item.servers) continue;
    for (const method of HTTP_METHODS) {
      const op = item[method] as OperationObject | undefined;
      if (!op) continue;
      operations.push({
        method,
        expressPath: path.replace(/\{(\w+)\}/g, ':$1'),
        operationId: op.operationId,
        requiresAuth: (op.security ?? []).some((s) => Object.keys(s).length > 0),
        role: op['x-required-role'] === 'admin' ? 'admin' : 'editor',
        allowedWithInitialPassword: op['x-allowed-with-initial-password'] === true,
        rateLimits: op['x-rate-limit'] ?? [],
        requiresIfMatch: (op.parameters ?? []).some((p) => {
          const param = '$ref' in p ? resolveParameter(doc, p.$ref) : p;
          return param?.in === 'header' && param.name.toLowerCase() === 'if-match' && param.required === true;
        }),
      });
    }
  }
  // literal segments before parameters, so /content/compare is not taken for /content/:idOrSlug
  return operations.sort((a, b) => specificity(b.expressPath) - specificity(a.expressPath));
}

function resolveParameter(doc: OpenApiDocument, ref: string): { name: string; in: string; required?: boolean } | undefined {
  const name = ref.replace('#/components/parameters/', '');
  const components = doc.components as { parameters?: Record<string, { name: string; in: string; required?: boolean }> } | undefined;
  return components?.parameters?.[name];
}

const specificity = (path: string) => path.split('/').filter((s) => s && !s.startsWith(':')).length;
