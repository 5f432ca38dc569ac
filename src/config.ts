import { z } from 'zod';

// The only file that reads process.env. Everything else receives the frozen Config.

// Messages say what a good value looks like: the start-up failure is the newcomer's only hint.
const bool = z.enum(['true', 'false', '1', '0'], { error: 'must be true or false' }).transform((v) => v === 'true' || v === '1');
const int = (min: number, max: number) => {
  const error = `must be a whole number from ${min} to ${max}`;
  return z.coerce.number({ error }).int({ error }).min(min, { error }).max(max, { error });
};
const POSTGRES_URL = { protocol: /^postgres(ql)?$/, error: 'must be postgres:// or postgresql://' };
const secretList = z
  .string()
  .transform((v) =>
    v
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean),
  )
  .pipe(z.array(z.string().min(32, 'each secret must have at least 32 characters')))
  .default([]);

const schema = z.object({
  /** development | test | production; production demands explicit secrets. */
  NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
  /** TCP port to listen on. */
  PORT: int(0, 65535).default(3000),
  /** Interface to bind. */
  HOST: z.string().min(1).default('0.0.0.0'),
  /** PostgreSQL ≥ 15 connection URL. Unset: an embedded PostgreSQL (PGlite) in DATA_DIR. */
  DATABASE_URL: z.url(POSTGRES_URL).optional(),
  /** Schema that holds the tables (tests use one per run). */
  DATABASE_SCHEMA: z
    .string()
    .regex(/^[a-z_][a-z0-9_]{0,62}$/)
    .default('public'),
  /** Max connections in the pool (real PostgreSQL only); each read replica gets a pool of this size too. Size it for the database server: about twice its cores, divided among the instances sharing it. The lanes share it: reads of the catalog, editors' requests and sign-in a fifth each, reads of reviews the rest; below 5 the three small lanes share one connection (4: reads of reviews get 3). */
  DATABASE_POOL_MAX: int(1, 200).default(10),
  /** How long a statement may wait for a lock (a table locked by a migration) before it fails and the request gets a kept copy or 503, ms. */
  DATABASE_LOCK_TIMEOUT_MS: int(100, 60000).default(1000),
  /** How long one statement of a public read may run before PostgreSQL cancels it and the reader gets a kept copy or 503, ms (other statements: 5 s). Five times the read budget: no search the bench sends comes near it, while a crafted one (`q=price -price`, relevance) read every review for 2.7 s at 1M (ADR 0041). */
  PUBLIC_READ_STATEMENT_TIMEOUT_MS: int(50, 60000).default(500),
  /** Streaming read replicas of DATABASE_URL (comma-separated URLs) for public reads; empty: none. A replica serves only while it answers and has replayed every write this instance made; else the primary does (state in /readyz). */
  DATABASE_REPLICA_URLS: z
    .string()
    .transform((v) =>
      v
        .split(',')
        .map((u) => u.trim())
        .filter(Boolean),
    )
    .pipe(z.array(z.url(POSTGRES_URL)))
    .default([]),
  /** Folder of the embedded database; `memory://` keeps it in memory only. */
  DATA_DIR: z.string().min(1).default('.data'),
  /** Seed the demo catalog and reviews into an empty database. Default: only on the embedded database. */
  SEED_DEMO: bool.optional(),
  /** Create a demo admin and editor with generated passwords (kept in DATA_DIR, printed at start). Default: only on the embedded database outside production. */
  DEMO_ACCOUNTS: bool.optional(),
  /** HMAC key for access tokens (≥ 32 chars). Required in production; generated and kept in DATA_DIR otherwise. */
  JWT_SECRET: z.string().min(32).optional(),
  /** Earlier JWT_SECRETs (comma-separated), still accepted but never used to sign: the overlap window of a key rotation (keep an old secret ≥ one access-token lifetime). */
  JWT_PREVIOUS_SECRETS: secretList,
  /** JWKS URL of an external identity provider whose access tokens are accepted too (RS256, PS256, ES256, EdDSA; https in production; `aud` must be JWT_AUDIENCE). */
  JWT_JWKS_URL: z.url({ protocol: /^https?$/ }).optional(),
  /** `iss` the identity provider's tokens must carry; required with JWT_JWKS_URL. */
  JWT_JWKS_ISSUER: z.string().min(1).optional(),
  /** Claim of the identity provider's token holding the editor's email; the editor must exist and be active. */
  JWT_JWKS_EMAIL_CLAIM: z.string().min(1).default('email'),
  /** `iss` of issued access tokens. */
  JWT_ISSUER: z.string().min(1).default('https://api.randomcamerareviews.example'),
  /** `aud` of issued access tokens. */
  JWT_AUDIENCE: z.string().min(1).default('randomcamerareviews-api'),
  /** Access token lifetime, seconds (≤ 15 min). */
  ACCESS_TOKEN_TTL_SECONDS: int(30, 900).default(900),
  /** Refresh token lifetime, seconds. */
  REFRESH_TOKEN_TTL_SECONDS: int(300, 90 * 24 * 3600).default(30 * 24 * 3600),
  /** First admin, created at start when both are set and the email is unknown. */
  BOOTSTRAP_ADMIN_EMAIL: z.email().optional(),
  /** That admin's password (12–128 characters); restarting with the same pair changes nothing. */
  BOOTSTRAP_ADMIN_PASSWORD: z.string().min(12).max(128).optional(),
  /** pino level. */
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** Validate every response against the contract. Default: on with NODE_ENV=test only (costs CPU). */
  VALIDATE_RESPONSES: bool.optional(),
  /** Largest accepted request body, bytes. */
  BODY_LIMIT_BYTES: int(1024, 10 * 1024 * 1024).default(256 * 1024),
  /** `max-age` of public responses, seconds. */
  PUBLIC_MAX_AGE_SECONDS: int(0, 86400).default(60),
  /** How long a cached public response is served as fresh, seconds; 0 turns the in-process read cache off. Changes invalidate it at once on every instance, whatever this is. */
  READ_CACHE_TTL_SECONDS: int(0, 3600).default(60),
  /** After that, how long it may still be served while one request refreshes it, seconds. */
  READ_CACHE_STALE_SECONDS: int(0, 86400).default(300),
  /** How long after it was read a public response may still be served, marked stale (Age, Cache-Status), when the database cannot answer (refused, timed out, circuit open), seconds; 0: never. Default: the stale-if-error every public response advertises. Needs the read cache (READ_CACHE_TTL_SECONDS > 0). */
  READ_STALE_IF_ERROR_SECONDS: int(0, 7 * 86400).default(86400),
  /** Memory the read cache may hold, MiB of response bodies. */
  READ_CACHE_MAX_MB: int(1, 4096).default(32),
  /** How long a public read may wait for its lane's share of the database pool before it is answered from a kept copy, or 503, ms. A lane that has finished no read successfully for this long is stuck (a locked table): it then refuses at once until one succeeds. */
  READ_WAIT_MS: int(50, 30000).default(1000),
  /** Requests of one lane (reads of reviews, reads of the catalog, editors, sign-in) waiting for its share of the pool; more are shed at once with 503 and Retry-After. */
  LANE_QUEUE_MAX: int(0, 10000).default(32),
  /** Event-loop delay (p99 over the last half second) above which requests other than cached reads and probes are shed with 503 and Retry-After, ms; 0: never. Default: 200 with DATABASE_URL; 0 on the embedded database, whose queries run on the event loop itself. */
  SHED_EVENT_LOOP_DELAY_MS: int(0, 10000).optional(),
  /** Answer valid public reads without Express (src/http/public-reads/lane.ts); false sends every request through the full stack. */
  PUBLIC_READ_LANE: bool.default(true),
  /** How long shutdown waits for in-flight requests, ms; then the process exits, and 1 s later a watchdog thread kills it if it could not (give the orchestrator's grace period at least this + 1 s). */
  SHUTDOWN_TIMEOUT_MS: int(0, 120000).default(10000),
  /** Origins (comma-separated) whose pages may call editor and auth routes; public reads are open to all. */
  CORS_ORIGINS: z
    .string()
    .transform((v) =>
      v
        .split(',')
        .map((o) => o.trim())
        .filter(Boolean),
    )
    .pipe(z.array(z.url({ protocol: /^https?$/ }).refine((o) => new URL(o).origin === o, 'must be an origin: scheme://host[:port], no path')))
    .default([]),
  /** Express `trust proxy` value: false, true, a hop count or a list of proxy addresses/CIDRs; only then is X-Forwarded-For believed for the client address rate limits count by (true is refused in production). */
  TRUST_PROXY: z.string().default('false'),
  /** Redis shared by every instance for rate limits; unset: limits are kept in each instance's memory (as they are while Redis does not answer). */
  REDIS_URL: z.url({ protocol: /^rediss?$/ }).optional(),
  /** Prefix of every rate-limit key (separates deployments sharing one Redis). */
  RATE_LIMIT_PREFIX: z
    .string()
    .regex(/^[A-Za-z0-9_.:-]{1,64}$/)
    .default('rcr'),
  /** Failed sign-ins per account and client IP before back-off starts: 1 s, doubling each failure (per account: twice as many; per IP: four times). */
  LOGIN_FREE_FAILURES: int(1, 100).default(5),
  /** Longest back-off for one account from one IP (and for one IP), seconds. */
  LOGIN_BACKOFF_MAX_SECONDS: int(1, 86400).default(900),
  /** Longest back-off for one account from IPs it never signed in from, seconds; short so nobody can lock an editor out for long. */
  LOGIN_ACCOUNT_BACKOFF_MAX_SECONDS: int(1, 3600).default(60),
  /** Requests per minute per client IP to the sign-in, refresh and sign-out operations. */
  AUTH_REQUESTS_PER_MINUTE: int(1, 100000).default(30),
  /** Requests per minute per editor to the operations that need a token. */
  EDITOR_REQUESTS_PER_MINUTE: int(1, 100000).default(300),
  /** Review posts (POST /v1/reviews attempts) per hour per editor. */
  REVIEWS_PER_HOUR: int(1, 100000).default(30),
  /** argon2id cost of new password hashes: production (OWASP/ASVS: 19 MiB, 2 passes) or test (1 MiB, 1 pass; for fast test suites, refused in production). */
  PASSWORD_HASH_COST: z.enum(['production', 'test']).default('production'),
});

/** Rules across variables, checked on the raw values so they are reported together with type errors. */
function crossFieldProblems(env: Record<string, string | undefined>): string[] {
  const problems: string[] = [];
  if (env.NODE_ENV === 'production' && !env.JWT_SECRET) problems.push('JWT_SECRET: is required in production');
  if (Boolean(env.JWT_JWKS_URL) !== Boolean(env.JWT_JWKS_ISSUER)) {
    problems.push('JWT_JWKS_ISSUER: set both JWT_JWKS_URL and JWT_JWKS_ISSUER, or neither');
  }
  if (env.NODE_ENV === 'production' && env.JWT_JWKS_URL?.startsWith('http:')) problems.push('JWT_JWKS_URL: must be https in production');
  // `true` takes the left-most X-Forwarded-For address, which any client writes itself: rate limits by IP would mean nothing
  if (env.NODE_ENV === 'production' && env.TRUST_PROXY === 'true') {
    problems.push('TRUST_PROXY: name the proxies (addresses, CIDRs, loopback) or a hop count instead of true in production');
  }
  // replicas of the embedded database do not exist; silently ignoring them would hide a typo'd DATABASE_URL
  if (env.DATABASE_REPLICA_URLS && !env.DATABASE_URL)
    problems.push('DATABASE_REPLICA_URLS: needs DATABASE_URL (replicas of the embedded database do not exist)');
  // their passwords are printed at every start: never where real people sign in
  if (env.NODE_ENV === 'production' && (env.DEMO_ACCOUNTS === 'true' || env.DEMO_ACCOUNTS === '1')) {
    problems.push('DEMO_ACCOUNTS: demo accounts are never created in production; unset it');
  }
  if (env.NODE_ENV === 'production' && env.PASSWORD_HASH_COST === 'test') {
    problems.push('PASSWORD_HASH_COST: test is too cheap to guard stored passwords; production needs production (or unset)');
  }
  if (Boolean(env.BOOTSTRAP_ADMIN_EMAIL) !== Boolean(env.BOOTSTRAP_ADMIN_PASSWORD)) {
    problems.push('BOOTSTRAP_ADMIN_PASSWORD: set both BOOTSTRAP_ADMIN_EMAIL and BOOTSTRAP_ADMIN_PASSWORD, or neither');
  }
  return problems;
}

export type Config = Readonly<{
  env: 'development' | 'test' | 'production';
  port: number;
  host: string;
  database: Readonly<{
    url: string | undefined;
    replicaUrls: readonly string[];
    schema: string;
    poolMax: number;
    lockTimeoutMs: number;
    readTimeoutMs: number;
    dataDir: string;
  }>;
  seedDemo: boolean;
  demoAccounts: boolean;
  jwt: Readonly<{
    secret: string | undefined;
    previousSecrets: readonly string[];
    issuer: string;
    audience: string;
    accessTtlSeconds: number;
    refreshTtlSeconds: number;
    /** An external identity provider whose tokens are accepted too (audience: `audience`). */
    jwks: Readonly<{ url: string; issuer: string; emailClaim: string }> | undefined;
  }>;
  bootstrapAdmin: Readonly<{ email: string; password: string }> | undefined;
  logLevel: string;
  validateResponses: boolean;
  bodyLimitBytes: number;
  publicMaxAgeSeconds: number;
  readCache: Readonly<{ ttlSeconds: number; staleSeconds: number; staleIfErrorSeconds: number; maxBytes: number }>;
  publicReadLane: boolean;
  load: Readonly<{ readWaitMs: number; laneQueueMax: number; shedEventLoopDelayMs: number }>;
  shutdownTimeoutMs: number;
  trustProxy: boolean | number | string;
  corsOrigins: readonly string[];
  rateLimits: RateLimitConfig;
  passwordHashCost: 'production' | 'test';
}>;

export type RateLimitConfig = Readonly<{
  redisUrl: string | undefined;
  keyPrefix: string;
  loginFreeFailures: number;
  loginBackoffMaxSeconds: number;
  loginAccountBackoffMaxSeconds: number;
  authRequestsPerMinute: number;
  editorRequestsPerMinute: number;
  reviewsPerHour: number;
}>;

export class ConfigError extends Error {}

/** Parses the environment once; throws ConfigError naming every bad variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  // an empty or blank variable (VAR= in a shell or compose file) means unset, not an invalid value
  const present = Object.fromEntries(Object.entries(env).filter(([, value]) => value !== undefined && value.trim() !== ''));
  const parsed = schema.safeParse(present);
  const problems = [...(parsed.success ? [] : parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`)), ...crossFieldProblems(present)];
  if (!parsed.success || problems.length > 0) {
    throw new ConfigError(`Invalid environment:\n${problems.map((p) => `  ${p}`).join('\n')}`);
  }
  const e = parsed.data;
  return Object.freeze({
    env: e.NODE_ENV,
    port: e.PORT,
    host: e.HOST,
    database: Object.freeze({
      url: e.DATABASE_URL,
      replicaUrls: Object.freeze(e.DATABASE_REPLICA_URLS),
      schema: e.DATABASE_SCHEMA,
      poolMax: e.DATABASE_POOL_MAX,
      lockTimeoutMs: e.DATABASE_LOCK_TIMEOUT_MS,
      readTimeoutMs: e.PUBLIC_READ_STATEMENT_TIMEOUT_MS,
      dataDir: e.DATA_DIR,
    }),
    seedDemo: e.SEED_DEMO ?? !e.DATABASE_URL,
    demoAccounts: e.DEMO_ACCOUNTS ?? (!e.DATABASE_URL && e.NODE_ENV !== 'production'),
    jwt: Object.freeze({
      secret: e.JWT_SECRET,
      previousSecrets: Object.freeze(e.JWT_PREVIOUS_SECRETS),
      issuer: e.JWT_ISSUER,
      audience: e.JWT_AUDIENCE,
      accessTtlSeconds: e.ACCESS_TOKEN_TTL_SECONDS,
      refreshTtlSeconds: e.REFRESH_TOKEN_TTL_SECONDS,
      jwks:
        e.JWT_JWKS_URL && e.JWT_JWKS_ISSUER ? Object.freeze({ url: e.JWT_JWKS_URL, issuer: e.JWT_JWKS_ISSUER, emailClaim: e.JWT_JWKS_EMAIL_CLAIM }) : undefined,
    }),
    bootstrapAdmin:
      e.BOOTSTRAP_ADMIN_EMAIL && e.BOOTSTRAP_ADMIN_PASSWORD
        ? Object.freeze({ email: e.BOOTSTRAP_ADMIN_EMAIL, password: e.BOOTSTRAP_ADMIN_PASSWORD })
        : undefined,
    logLevel: e.LOG_LEVEL,
    validateResponses: e.VALIDATE_RESPONSES ?? e.NODE_ENV === 'test',
    bodyLimitBytes: e.BODY_LIMIT_BYTES,
    publicMaxAgeSeconds: e.PUBLIC_MAX_AGE_SECONDS,
    readCache: Object.freeze({
      ttlSeconds: e.READ_CACHE_TTL_SECONDS,
      staleSeconds: e.READ_CACHE_STALE_SECONDS,
      staleIfErrorSeconds: e.READ_STALE_IF_ERROR_SECONDS,
      maxBytes: e.READ_CACHE_MAX_MB * 1024 * 1024,
    }),
    publicReadLane: e.PUBLIC_READ_LANE,
    load: Object.freeze({
      readWaitMs: e.READ_WAIT_MS,
      laneQueueMax: e.LANE_QUEUE_MAX,
      shedEventLoopDelayMs: e.SHED_EVENT_LOOP_DELAY_MS ?? (e.DATABASE_URL ? 200 : 0),
    }),
    shutdownTimeoutMs: e.SHUTDOWN_TIMEOUT_MS,
    trustProxy: parseTrustProxy(e.TRUST_PROXY),
    corsOrigins: Object.freeze(e.CORS_ORIGINS),
    rateLimits: Object.freeze({
      redisUrl: e.REDIS_URL,
      keyPrefix: e.RATE_LIMIT_PREFIX,
      loginFreeFailures: e.LOGIN_FREE_FAILURES,
      loginBackoffMaxSeconds: e.LOGIN_BACKOFF_MAX_SECONDS,
      loginAccountBackoffMaxSeconds: e.LOGIN_ACCOUNT_BACKOFF_MAX_SECONDS,
      authRequestsPerMinute: e.AUTH_REQUESTS_PER_MINUTE,
      editorRequestsPerMinute: e.EDITOR_REQUESTS_PER_MINUTE,
      reviewsPerHour: e.REVIEWS_PER_HOUR,
    }),
    passwordHashCost: e.PASSWORD_HASH_COST,
  });
}

function parseTrustProxy(value: string): boolean | number | string {
  if (value === 'true') return true;
  if (value === 'false') return false;
  if (/^\d+$/.test(value)) return Number(value);
  return value;
}
