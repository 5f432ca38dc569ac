// One error type with a stable code. The HTTP mapping lives in src/http/problem.ts.

export type FieldError = { path: string; message: string; code?: string };

export class AppError extends Error {
  readonly code: string;
  readonly status: number;
  readonly errors: FieldError[] | undefined;
  readonly headers: Record<string, string> | undefined;

  constructor(code: string, status: number, detail: string, options: { errors?: FieldError[]; headers?: Record<string, string>; cause?: unknown } = {}) {
    super(detail, { cause: options.cause });
    this.name = 'AppError';
    this.code = code;
    this.status = status;
    this.errors = options.errors;
    this.headers = options.headers;
  }
}

export const notFound = (what: string) => new AppError('not_found', 404, `No ${what} with this id.`);
