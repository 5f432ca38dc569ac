import type { AuthService } from '../domain/auth-service.js';
import type { ContentService } from '../domain/content-service.js';
import type { EditorService } from '../domain/editor-service.js';
import type { ProductService } from '../domain/product-service.js';
import type { ReviewService } from '../domain/review-service.js';
import type { LoginThrottle } from '../http/login-throttle.js';
import type { PublicResponder } from '../http/public-response.js';

export type Services = {
  auth: AuthService;
  editors: EditorService;
  reviews: ReviewService;
  content: ContentService;
  products: ProductService;
};

export type HandlerContext = { services: Services; respond: PublicResponder; loginThrottle: LoginThrottle };

export const DEFAULT_LIMIT = 20;
