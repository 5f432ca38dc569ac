import { createRemoteJWKSet, customFetch, errors, jwtVerify, type JWTPayload } from 'jose';
import { AppError } from '../errors.js';

// Access tokens of an external identity provider (e.g. Auth0), verified against its JWKS.
// Asymmetric algorithms only: an HS256 token "signed" with the provider's public key is refused
// before any key is looked at (RFC 8725 §2.1, §3.1).

export const IDP_ALGORITHMS = ['RS256', 'PS256', 'ES256', 'EdDSA'];

export type IdpSettings = Readonly<{ url: string; issuer: string; audience: string; emailClaim: string }>;

class IdpUnavailable extends Error {}

/** The verified token's email claim (undefined when the token is not valid for us), or a 503 when the provider cannot be reached. */
export function createIdpVerifier(settings: IdpSettings): (token: string) => Promise<string | undefined> {
  const jwks = createRemoteJWKSet(new URL(settings.url), {
    timeoutDuration: 3000,
    cooldownDuration: 30_000, // an unknown kid refetches the set at most every 30 s
    cacheMaxAge: 10 * 60_000,
    [customFetch]: async (url: string, init: RequestInit) => {
      const response = await fetch(url, init).catch((cause: unknown) => {
        if ((cause as Error)?.name === 'TimeoutError') throw cause; // jose reports it as JWKSTimeout
        throw new IdpUnavailable('JWKS fetch failed', { cause });
      });
      if (response.status !== 200) throw new IdpUnavailable(`JWKS answered ${response.status}`);
      return response;
    },
  });

  return async (token) => {
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(token, jwks, {
        issuer: settings.issuer,
        audience: settings.audience,
        algorithms: IDP_ALGORITHMS,
        requiredClaims: ['exp', 'sub'],
        clockTolerance: 5,
      }));
    } catch (error) {
      if (error instanceof IdpUnavailable || error instanceof errors.JWKSTimeout || error instanceof errors.JWKSInvalid) {
        throw new AppError('service_unavailable', 503, 'The identity provider is not answering; try again shortly.', {
          headers: { 'Retry-After': '5' },
          cause: error,
        });
      }
      return undefined;
    }
    if (payload.email_verified === false) return undefined;
    const email = payload[settings.emailClaim];
    return typeof email === 'string' ? email : undefined;
  };
}
