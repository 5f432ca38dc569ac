import type { AuthService } from '../domain/auth-service.js';
import type { ContentService } from '../domain/content-service.js';
import type { EditorService } from '../domain/editor-service.js';
import type { ProductService } from '../domain/product-service.js';
import type { ReviewService } from '../domain/review-service.js';
import type { PublicCachePolicy } from '../http/caching.js';
import type { LoginThrottle } from '../http/login-throttle.js';

export type Services = {
  auth: AuthService;
  editors: EditorService;
  reviews: ReviewService;
  content: ContentService;
  products: ProductService;
};

export type HandlerContext = { services: Services; publicCache: PublicCachePolicy; loginThrottle: LoginThrottle };

export const DEFAULT_LIMIT = 20;
