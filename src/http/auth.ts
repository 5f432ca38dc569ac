import type { Request, RequestHandler } from 'express';
import passport from 'passport';
import { ExtractJwt, Strategy as JwtStrategy } from 'passport-jwt';
import { AppError } from '../errors.js';
import { ACCESS_TOKEN_ALGORITHMS, verificationSecretFor, type AccessTokenSettings } from '../domain/access-tokens.js';
import type { AuthService } from '../domain/auth-service.js';
import type { Principal } from '../domain/principal.js';
import type { ContractOperation } from './contract.js';
import { createIdpVerifier, type IdpSettings } from './idp-tokens.js';

declare global {
  namespace Express {
    // passport's req.user is our Principal
    interface User extends Principal {}
  }
}

const LOCAL = 'access-jwt';
const IDP = 'idp-jwt';
const bearerToken = ExtractJwt.fromAuthHeaderAsBearerToken();

/** Tokens of an external identity provider: verified by its JWKS, mapped to an active editor by email. */
class IdpStrategy extends passport.Strategy {
  constructor(
    private readonly verify: (token: string) => Promise<string | undefined>,
    private readonly auth: AuthService,
  ) {
    super();
  }

  override authenticate(req: Request): void {
    const token = bearerToken(req);
    if (!token) return this.fail(401);
    this.verify(token)
      .then((email) => (email ? this.auth.principalForEmail(email) : undefined))
      .then(
        (principal) => (principal ? this.success(principal) : this.fail(401)),
        (error: unknown) => this.error(error),
      );
  }
}

/**
 * Our own HS256 tokens, verified with the key their `kid` names (the current key or one still in
 * its rotation overlap), of our issuer and audience, whose editor is still active; and, when
 * configured, an external identity provider's tokens.
 */
export function createAuthenticator(settings: AccessTokenSettings, auth: AuthService, idp?: IdpSettings) {
  const instance = new passport.Passport();
  instance.use(
    LOCAL,
    new JwtStrategy(
      {
        jwtFromRequest: bearerToken,
        secretOrKeyProvider: (_req, rawJwt, done) => {
          // refuse tokens signed by a key we do not hold before spending a verification on them
          const secret = verificationSecretFor(settings, decodeHeader(String(rawJwt))?.kid);
          if (!secret) return done(new AppError('invalid_token', 401, 'The access token is invalid or expired.'));
          done(null, secret);
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
  if (idp) instance.use(IDP, new IdpStrategy(createIdpVerifier(idp), auth));
  const strategies = idp ? [LOCAL, IDP] : [LOCAL];

  /**
   * Authenticates, then checks the role and that the initial password was changed. Runs before
   * request validation, so anonymous writes get 401, not 400.
   */
  return function requireEditor(op: Pick<ContractOperation, 'role' | 'allowedWithInitialPassword'>): RequestHandler {
    return (req, res, next) => {
      // passport types its middleware as `any`: a plain (req, res, next) function that returns nothing
      const authenticate = instance.authenticate(strategies, { session: false }, (err: unknown, user: Principal | false) => {
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
      }) as (...args: Parameters<RequestHandler>) => void;
      authenticate(req, res, next);
    };
  };
}

export type RequireEditor = ReturnType<typeof createAuthenticator>;

function decodeHeader(token: string): { kid?: unknown } | undefined {
  try {
    return JSON.parse(Buffer.from(token.split('.')[0] ?? '', 'base64url').toString('utf8')) as { kid?: unknown };
  } catch {
    return undefined;
  }
}
