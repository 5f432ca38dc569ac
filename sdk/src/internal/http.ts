import createFetchClient from 'openapi-fetch';
import { apiErrorFor } from '../errors.js';
import type { paths } from '../generated/reviews.js';
import { ApiPromise, type ApiResult } from '../api-promise.js';
import type { CallPolicy, RequestOptions, Transport } from './transport.js';

type Fetch = (request: Request) => Promise<Response>;
type FetchResult = { data?: unknown; error?: unknown; response: Response };
/** What a successful call resolves to: the success body, or undefined for 204. */
type SuccessData<R extends FetchResult> = Exclude<R['data'], undefined> extends never ? undefined : Exclude<R['data'], undefined>;

export type Http = ReturnType<typeof createHttp>;

/** The contract's PATCH operations take RFC 7396 merge patches, not plain JSON. */
export const MERGE_PATCH = { 'Content-Type': 'application/merge-patch+json' };

/** The typed openapi-fetch client for the contract's paths, sending everything through our transport. */
export function createHttp(baseUrl: string, transport: Transport) {
  const api = createFetchClient<paths>({
    baseUrl,
    // `ids` of compareContent is `style: form, explode: false` (a,b,c): the only array parameter.
    querySerializer: { array: { style: 'form', explode: false } },
  });

  return {
    api,
    /**
     * Runs one generated-client call with the operation's policy, and turns an error status into
     * the matching ApiError subclass.
     */
    call<R extends FetchResult>(run: (fetch: Fetch) => Promise<R>, authenticated: boolean, options: RequestOptions | undefined): ApiPromise<SuccessData<R>> {
      const policy: CallPolicy = { authenticated, options };
      const result = run((request) => transport(request, policy)).then(({ data, error, response }): ApiResult<SuccessData<R>> => {
        if (!response.ok) throw apiErrorFor(response.status, error, response.headers);
        const header = (name: string) => response.headers.get(name) ?? undefined;
        return { data: data as SuccessData<R>, response, requestId: header('x-request-id'), etag: header('etag') };
      });
      return new ApiPromise(result);
    },
  };
}
