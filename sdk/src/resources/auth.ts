import type { ApiPromise } from '../api-promise.js';
import { RandomCameraReviewsError } from '../errors.js';
import type { Http } from '../internal/http.js';
import type { AuthCalls, Credentials, Session, TokenPair } from '../internal/session.js';
import type { RequestOptions } from '../internal/transport.js';
import type { Editor, PasswordChange } from '../types.js';

/** The two unauthenticated token calls the session itself needs. */
export function authCalls(http: Http): AuthCalls {
  return {
    login: (credentials) => http.call((fetch) => http.api.POST('/auth/login', { body: credentials, fetch }), false, undefined),
    refresh: (refresh_token) => http.call((fetch) => http.api.POST('/auth/refresh', { body: { refresh_token }, fetch }), false, undefined),
  };
}

/** Editor sign-in. The client keeps the tokens and renews the access token by itself on 401. */
export function authResource(http: Http, session: Session, configured: Credentials | undefined) {
  return {
    /** Signs in (with these credentials, or the client's) and keeps the tokens. */
    async login(credentials?: Credentials, options?: RequestOptions): Promise<TokenPair> {
      const using = credentials ?? configured;
      if (!using) throw new RandomCameraReviewsError('login() needs credentials: pass them, or give createClient({ credentials })');
      const tokens = await http.call((fetch) => http.api.POST('/auth/login', { body: using, fetch }), false, options);
      session.store(tokens);
      return tokens;
    },

    /** Rotates the refresh token now (the client also does this by itself when a token expires). */
    async refresh(options?: RequestOptions): Promise<TokenPair> {
      const refresh_token = session.refreshToken;
      if (!refresh_token) throw new RandomCameraReviewsError('refresh() needs a signed-in session: call login() first');
      const tokens = await http.call((fetch) => http.api.POST('/auth/refresh', { body: { refresh_token }, fetch }), false, options);
      session.store(tokens);
      return tokens;
    },

    /** Revokes the sign-in on the server and forgets the tokens; harmless when not signed in. */
    async logout(options?: RequestOptions): Promise<void> {
      const refresh_token = session.refreshToken;
      session.clear();
      if (refresh_token) await http.call((fetch) => http.api.POST('/auth/logout', { body: { refresh_token }, fetch }), false, options);
    },

    /** The signed-in editor's account. */
    me(options?: RequestOptions): ApiPromise<Editor> {
      return http.call((fetch) => http.api.GET('/me', { fetch }), true, options);
    },

    /** The server revokes every refresh token of the account: the session is cleared; log in again. */
    async changePassword(change: PasswordChange, options?: RequestOptions): Promise<void> {
      await http.call((fetch) => http.api.POST('/me/password', { body: change, fetch }), true, options);
      session.clear();
    },
  };
}
