import type { components } from '../generated/reviews.js';
import { AuthenticationError } from '../errors.js';

export type TokenPair = components['schemas']['TokenPair'];
export type Credentials = components['schemas']['LoginRequest'];
/** Your own source of access tokens (a backend-for-frontend, a test): called before every authenticated request. */
export type AccessTokenProvider = () => string | undefined | Promise<string | undefined>;

export type SessionOptions = {
  accessToken?: string | AccessTokenProvider | undefined;
  credentials?: Credentials | undefined;
  /** Tokens saved from an earlier session (see `onTokens`). */
  tokens?: Pick<TokenPair, 'access_token' | 'refresh_token'> | undefined;
  /** Called with every new token pair, and with null on logout or when the session is lost. */
  onTokens?: ((tokens: TokenPair | null) => void) | undefined;
};

export type AuthCalls = {
  login(credentials: Credentials): PromiseLike<TokenPair>;
  refresh(refreshToken: string): PromiseLike<TokenPair>;
};

/**
 * The editor's tokens. Refresh tokens are single use and reusing one revokes the whole sign-in,
 * so concurrent requests that hit 401 share one refresh instead of racing.
 */
export class Session {
  #access: string | undefined;
  #refresh: string | undefined;
  #renewal: Promise<void> | undefined;
  #calls: AuthCalls | undefined;

  constructor(private readonly options: SessionOptions) {
    this.#access = typeof options.accessToken === 'string' ? options.accessToken : options.tokens?.access_token;
    this.#refresh = options.tokens?.refresh_token;
  }

  connect(calls: AuthCalls): void {
    this.#calls = calls;
  }

  get refreshToken(): string | undefined {
    return this.#refresh;
  }

  /** The token for the next authenticated request; signs in with the credentials if there is none yet. */
  async accessToken(): Promise<string | undefined> {
    if (typeof this.options.accessToken === 'function') return this.options.accessToken();
    const credentials = this.options.credentials;
    if (!this.#access && credentials) await this.#renew(() => this.#login(credentials));
    return this.#access;
  }

  /**
   * After a 401 sent with `rejected`: true when a newer token is now available to retry with,
   * either because another request already renewed it, or by refreshing (or signing in) once.
   */
  async recover(rejected: string | undefined): Promise<boolean> {
    if (typeof this.options.accessToken === 'function') return false;
    if (this.#access !== rejected) return this.#access !== undefined;
    const refreshToken = this.#refresh;
    const credentials = this.options.credentials;
    const renewal = refreshToken ? () => this.#refreshOrLogin(refreshToken) : credentials ? () => this.#login(credentials) : undefined;
    if (!renewal) return false;
    try {
      await this.#renew(renewal);
    } catch (error) {
      if (error instanceof AuthenticationError) return false;
      throw error;
    }
    return this.#access !== undefined && this.#access !== rejected;
  }

  store(tokens: TokenPair): void {
    this.#access = tokens.access_token;
    this.#refresh = tokens.refresh_token;
    this.options.onTokens?.(tokens);
  }

  clear(): void {
    this.#access = undefined;
    this.#refresh = undefined;
    this.options.onTokens?.(null);
  }

  #renew(renewal: () => Promise<void>): Promise<void> {
    this.#renewal ??= renewal().finally(() => {
      this.#renewal = undefined;
    });
    return this.#renewal;
  }

  async #refreshOrLogin(refreshToken: string): Promise<void> {
    try {
      this.store(await this.#authCalls().refresh(refreshToken));
    } catch (error) {
      if (!(error instanceof AuthenticationError)) throw error;
      this.clear();
      if (!this.options.credentials) throw error;
      await this.#login(this.options.credentials);
    }
  }

  async #login(credentials: Credentials): Promise<void> {
    this.store(await this.#authCalls().login(credentials));
  }

  #authCalls(): AuthCalls {
    if (!this.#calls) throw new Error('Session used before the client connected it');
    return this.#calls;
  }
}
