export { createClient, type ClientOptions, type RandomCameraReviewsClient } from './client.js';
export { ApiPromise, type ApiResult } from './api-promise.js';
export { Paginated, type Page } from './pagination.js';
export * from './errors.js';
export type { RequestOptions, Hooks } from './internal/transport.js';
export type { AccessTokenProvider, Credentials, TokenPair } from './internal/session.js';
export type { CreateReviewOptions, ConditionalOptions } from './resources/reviews.js';
export type * from './types.js';
export type { components, operations, paths } from './generated/reviews.js';
