import type { AuthService } from '../domain/auth-service.js';
import type { ContentService } from '../domain/content-service.js';
import type { EditorService } from '../domain/editor-service.js';
import type { ProductService } from '../domain/product-service.js';
import type { ReviewService } from '../domain/review-service.js';
import type { Request, Response } from 'express';
import type { PublicReadId } from './public-read-ids.js';

export type Services = {
  auth: AuthService;
  editors: EditorService;
  reviews: ReviewService;
  content: ContentService;
  products: ProductService;
};

// What handlers need from the HTTP layer, declared here so that dependencies point one way
// (http → handlers): src/http/public-reads/responder.ts and src/http/login-throttle.ts implement them.

/** Answers a public read through the response cache; `compute` must not capture the request. */
export type PublicResponder = (req: Request, res: Response, operationId: PublicReadId, compute: () => Promise<unknown>) => Promise<void>;

/** Sign-in's back-off around a password check (429 while one runs). */
export type LoginThrottle = {
  attempt<T>(email: string, ip: string, signIn: () => Promise<T>): Promise<T>;
  passwordChange<T>(editorId: string, ip: string, change: () => Promise<T>): Promise<T>;
};

export type HandlerContext = { services: Services; respond: PublicResponder; loginThrottle: LoginThrottle };

export const DEFAULT_LIMIT = 20;
