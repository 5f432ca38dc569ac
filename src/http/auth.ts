import type { RequestHandler } from 'express';
import passport from 'passport';
import { ExtractJwt, Strategy as JwtStrategy } from 'passport-jwt';
import { AppError } from '../errors.js';
import { ACCESS_TOKEN_ALGORITHMS, keyIdOf, type AccessTokenSettings } from '../domain/access-tokens.js';
import type { AuthService } from '../domain/auth-service.js';
import type { Principal } from '../domain/principal.js';
import type { ContractOperation } from './contract.js';

declare global {
  namespace Express {
    // passport's req.user is our Principal
    interface User extends Principal {}
  }
}

const STRATEGY = 'access-jwt';

/** Registers the passport strategy: a valid HS256 token of our issuer and audience, whose editor is still active. */
export function createAuthenticator(settings: AccessTokenSettings, auth: AuthService) {
  const instance = new passport.Passport();
  const kid = keyIdOf(settings.secret);
  instance.use(
    STRATEGY,
    new JwtStrategy(
      {
        jwtFromRequest: ExtractJwt.fromAuthHeaderAsBearerToken(),
        secretOrKeyProvider: (_req, rawJwt, done) => {
          // refuse tokens signed by a key we do not hold before spending a verification on them
          const header = decodeHeader(String(rawJwt));
          if (header?.kid !== kid) return done(new AppError('invalid_token', 401, 'The access token is invalid or expired.'));
          done(null, settings.secret);
        },
        issuer: settings.issuer,
        audience: settings.audience,
        algorithms: ACCESS_TOKEN_ALGORITHMS,
        jsonWebTokenOptions: { clockTolerance: 5, maxAge: `${settings.ttlSeconds + 5}s` },
      },
      (payload: { sub?: string }, done: (err: unknown, user?: Principal | false) => void) => {
        if (!payload.sub) return done(null, false);
        auth.principalFor(payload.sub).then((p) => done(null, p ?? false), done);
      },
    ),
  );

  /**
   * Authenticates, then checks the role and that the initial password was changed. Runs before
   * request validation, so anonymous writes get 401, not 400.
   */
  return function requireEditor(op: Pick<ContractOperation, 'role' | 'allowedWithInitialPassword'>): RequestHandler {
    return (req, res, next) => {
      instance.authenticate(STRATEGY, { session: false }, (err: unknown, user: Principal | false) => {
        if (err instanceof AppError) return next(err);
        if (err) return next(err);
        if (!user) {
          const hasToken = Boolean(req.headers.authorization);
          return next(
            hasToken
              ? new AppError('invalid_token', 401, 'The access token is invalid or expired.')
              : new AppError('unauthenticated', 401, "Send a valid access token as 'Authorization: Bearer <token>'."),
          );
        }
        if (user.mustChangePassword && !op.allowedWithInitialPassword) {
          return next(new AppError('password_change_required', 403, 'Change the initial password first: POST /v1/me/password.'));
        }
        if (op.role === 'admin' && user.role !== 'admin') {
          return next(new AppError('forbidden', 403, 'This operation needs the admin role.'));
        }
        req.user = user;
        next();
      })(req, res, next);
    };
  };
}

export type RequireEditor = ReturnType<typeof createAuthenticator>;

function decodeHeader(token: string): { kid?: string } | undefined {
  try {
    return JSON.parse(Buffer.from(token.split('.')[0] ?? '', 'base64url').toString('utf8'));
  } catch {
    return undefined;
  }
}

/** The authenticated caller; only valid on routes behind requireEditor. */
export function principalOf(req: { user?: Principal }): Principal {
  if (!req.user) throw new AppError('unauthenticated', 401, 'Authentication required.');
  return req.user;
}
