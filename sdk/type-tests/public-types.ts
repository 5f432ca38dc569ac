// What a strict frontend project sees of the SDK (exactOptionalPropertyTypes on, see tsconfig.json
// here): named return types, the contract's problem codes, an edit that cannot forget its ETag.
// Checked by `tsc -p sdk/type-tests` (part of `npm run typecheck`); a wrong type fails the build.
import { expectTypeOf } from 'expect-type';
import {
  createClient,
  type ApiError,
  type ApiPromise,
  type ApiResult,
  type Comparison,
  type ContentItem,
  type ContentPage,
  type Editor,
  type Paginated,
  type ProblemCode,
  type ProductDetail,
  type PublishedReview,
  type RequestOptions,
  type Review,
} from '../src/index.js';

const client = createClient({ baseUrl: 'http://127.0.0.1:4020/v1' });
const id = '5b7c1f3e-2a4d-4c8e-9f10-3d2b1a0c9e88';
const draft = { product_id: id, title: 'X-T5', summary: 'Dials.', body: 'Good.', verdict_score: 8.5 };

// Named return types, so that hovers read ApiPromise<Review> rather than the whole shape.
expectTypeOf(client.reviews.get(id)).toEqualTypeOf<ApiPromise<Review>>();
expectTypeOf(client.reviews.create(draft)).toEqualTypeOf<ApiPromise<Review>>();
expectTypeOf(client.reviews.update(id, { title: 'New' }, { ifMatch: '"v1"' })).toEqualTypeOf<ApiPromise<Review>>();
expectTypeOf(client.reviews.delete(id, { ifMatch: '"v1"' })).toEqualTypeOf<ApiPromise<void>>();
expectTypeOf(client.content.get('a-slug')).toEqualTypeOf<ApiPromise<PublishedReview>>();
expectTypeOf(client.content.compare(['a', 'b'])).toEqualTypeOf<ApiPromise<Comparison>>();
expectTypeOf(client.content.list({ q: 'dials' })).toEqualTypeOf<Paginated<ContentItem, ContentPage>>();
expectTypeOf(client.products.get(id)).toEqualTypeOf<ApiPromise<ProductDetail>>();
expectTypeOf(client.editors.update(id, { status: 'disabled' }, { ifMatch: '"e-1"' })).toEqualTypeOf<ApiPromise<Editor>>();
expectTypeOf(client.auth.me()).toEqualTypeOf<ApiPromise<Editor>>();

// Awaited results assign to the schema types under exactOptionalPropertyTypes.
export async function assignsUnderExactOptionalPropertyTypes(): Promise<Review> {
  const created: Review = await client.reviews.create(draft);
  const result: ApiResult<Review> = await client.reviews.get(created.id).withResponse();
  expectTypeOf(result.etag).toEqualTypeOf<string | undefined>();
  return created;
}

// Options a component builds from possibly-missing values are accepted as they are.
const maybeSignal: AbortSignal | undefined = undefined;
expectTypeOf<{ signal: AbortSignal | undefined; timeout: undefined }>().toExtend<RequestOptions>();
client.content.list({}, { signal: maybeSignal });

// The error code is the contract's list (plus `unknown` for a body that was no problem), so it autocompletes.
expectTypeOf<ApiError['code']>().toEqualTypeOf<ProblemCode | 'unknown'>();
expectTypeOf<'precondition_required'>().toExtend<ProblemCode>();
expectTypeOf<'validation_failed'>().toExtend<ProblemCode>();
expectTypeOf<'no_such_code'>().not.toExtend<ApiError['code']>();
expectTypeOf<string>().not.toExtend<ProblemCode>();

// An edit always names the version it edits.
// @ts-expect-error -- no options: the ETag is missing
void client.reviews.update(id, { title: 'Blind overwrite' });
// @ts-expect-error -- options without ifMatch
void client.reviews.delete(id, { timeout: 1_000 });
// @ts-expect-error -- editors too
void client.editors.update(id, { role: 'admin' }, {});
