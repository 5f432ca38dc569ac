import type { Principal } from '../domain/principal.js';
import { AppError } from '../errors.js';

/** The authenticated caller; only valid on routes behind requireEditor (src/http/auth.ts sets it). */
export function principalOf(req: { user?: Principal }): Principal {
  if (!req.user) throw new AppError('unauthenticated', 401, 'Authentication required.');
  return req.user;
}
