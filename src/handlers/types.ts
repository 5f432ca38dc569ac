import type { NextFunction, Request, Response } from 'express';
import type { components, operations } from '../../generated/reviews.js';

// Handler signatures derived from the generated contract: a handler that reads a field the
// spec does not define, or sends a body it does not allow, fails to compile.

export type Schemas = components['schemas'];

type Content<T> = T extends { content: infer C } ? C[keyof C] : never;
type Params<O, In extends string> = O extends { parameters: infer P } ? (P extends Record<In, infer X> ? NonNullable<X> : never) : never;

type OrEmpty<T> = [T] extends [never] ? Record<string, never> : T;

export type PathOf<O extends keyof operations> = OrEmpty<Params<operations[O], 'path'>>;
export type QueryOf<O extends keyof operations> = OrEmpty<Params<operations[O], 'query'>>;
export type BodyOf<O extends keyof operations> = operations[O] extends { requestBody?: infer B } ? Content<NonNullable<B>> : never;
export type ResponseOf<O extends keyof operations, S extends number> = operations[O]['responses'] extends infer R
  ? S extends keyof R
    ? Content<R[S]>
    : never
  : never;

/** Operations served under /v1 (the ops endpoints are plain routes, see src/http/ops.ts). */
export type ApiOperationId = Exclude<keyof operations, 'getLiveness' | 'getReadiness' | 'getMetrics' | 'getOpenApiDocument' | 'getApiDocs'>;

type SuccessBody<O extends keyof operations> = ResponseOf<O, 200> | ResponseOf<O, 201>;

export type Handler<O extends ApiOperationId> = (
  req: Request<PathOf<O>, SuccessBody<O>, BodyOf<O>, QueryOf<O>>,
  res: Response<SuccessBody<O>>,
  next: NextFunction,
) => Promise<void> | void;

export type HandlerMap = { [O in ApiOperationId]: Handler<O> };
