export type ApiResult<T> = {
  data: T;
  /** The final response (after any retry), body already read. */
  response: Response;
  requestId: string | undefined;
  /** The `ETag` header: pass it as `ifMatch` to edit what you read. */
  etag: string | undefined;
};

/**
 * What every single-response method returns: await it for the data, or call `withResponse()`
 * for the headers too (e.g. the `etag` to send back as `ifMatch`).
 */
export class ApiPromise<T> implements PromiseLike<T> {
  readonly #result: Promise<ApiResult<T>>;

  constructor(result: Promise<ApiResult<T>>) {
    this.#result = result;
  }

  withResponse(): Promise<ApiResult<T>> {
    return this.#result;
  }

  then<A = T, B = never>(
    onFulfilled?: ((value: T) => A | PromiseLike<A>) | null,
    onRejected?: ((reason: unknown) => B | PromiseLike<B>) | null,
  ): Promise<A | B> {
    return this.#result.then((result) => result.data).then(onFulfilled, onRejected);
  }

  catch<B = never>(onRejected?: ((reason: unknown) => B | PromiseLike<B>) | null): Promise<T | B> {
    return this.then(undefined, onRejected);
  }

  finally(onFinally?: (() => void) | null): Promise<T> {
    return this.then().finally(onFinally);
  }
}
