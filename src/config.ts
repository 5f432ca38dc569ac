import { z } from 'zod';

// The only file that reads process.env. Everything else receives the frozen Config.

const bool = z.enum(['true', 'false', '1', '0']).transform((v) => v === 'true' || v === '1');
const int = (min: number, max: number) => z.coerce.number().int().min(min).max(max);

const schema = z
  .object({
    /** development | test | production; production demands explicit secrets. */
    NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
    /** TCP port to listen on. */
    PORT: int(0, 65535).default(3000),
    /** Interface to bind. */
    HOST: z.string().min(1).default('0.0.0.0'),
    /** PostgreSQL ≥ 15 connection URL. Unset: an embedded PostgreSQL (PGlite) in DATA_DIR. */
    DATABASE_URL: z.url({ protocol: /^postgres(ql)?$/ }).optional(),
    /** Schema that holds the tables (tests use one per run). */
    DATABASE_SCHEMA: z.string().regex(/^[a-z_][a-z0-9_]{0,62}$/).default('public'),
    /** Max connections in the pool (real PostgreSQL only); each read replica gets a pool of this size too. */
    DATABASE_POOL_MAX: int(1, 200).default(10),
    /** Streaming read replicas of DATABASE_URL (comma-separated URLs) for public reads; empty: none. */
    DATABASE_REPLICA_URLS: z
      .string()
      .transform((v) => v.split(',').map((u) => u.trim()).filter(Boolean))
      .pipe(z.array(z.url({ protocol: /^postgres(ql)?$/ })))
      .default([]),
    /** Folder of the embedded database; `memory://` keeps it in memory only. */
    DATA_DIR: z.string().min(1).default('.data'),
    /** Seed the demo catalog and reviews into an empty database. Default: only on the embedded database. */
    SEED_DEMO: bool.optional(),
    /** HMAC key for access tokens (≥ 32 chars). Required in production; generated and kept in DATA_DIR otherwise. */
    JWT_SECRET: z.string().min(32).optional(),
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
    BOOTSTRAP_ADMIN_PASSWORD: z.string().min(12).max(128).optional(),
    /** pino level. */
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    /** Validate every response against the contract (on in tests; costs CPU). */
    VALIDATE_RESPONSES: bool.optional(),
    /** Largest accepted request body, bytes. */
    BODY_LIMIT_BYTES: int(1024, 10 * 1024 * 1024).default(256 * 1024),
    /** `max-age` of public responses, seconds. */
    PUBLIC_MAX_AGE_SECONDS: int(0, 86400).default(60),
    /** How long a cached public response is served as fresh, seconds; 0 turns the in-process read cache off. */
    READ_CACHE_TTL_SECONDS: int(0, 3600).default(60),
    /** After that, how long it may still be served while one request refreshes it, seconds. */
    READ_CACHE_STALE_SECONDS: int(0, 86400).default(300),
    /** Memory the read cache may hold, MiB of response bodies. */
    READ_CACHE_MAX_MB: int(1, 4096).default(32),
    /** How long shutdown waits for in-flight requests, ms. */
    SHUTDOWN_TIMEOUT_MS: int(0, 120000).default(10000),
    /** Origins (comma-separated) whose pages may call editor and auth routes; public reads are open to all. */
    CORS_ORIGINS: z
      .string()
      .transform((v) => v.split(',').map((o) => o.trim()).filter(Boolean))
      .pipe(z.array(z.url({ protocol: /^https?$/ }).refine((o) => new URL(o).origin === o, 'must be an origin: scheme://host[:port], no path')))
      .default([]),
    /** Express `trust proxy` value: false, true, a hop count or a list of proxy addresses. */
    TRUST_PROXY: z.string().default('false'),
  });

/** Rules across variables, checked on the raw values so they are reported together with type errors. */
function crossFieldProblems(env: Record<string, string | undefined>): string[] {
  const problems: string[] = [];
  if (env.NODE_ENV === 'production' && !env.JWT_SECRET) problems.push('JWT_SECRET: is required in production');
  // replicas of the embedded database do not exist; silently ignoring them would hide a typo'd DATABASE_URL
  if (env.DATABASE_REPLICA_URLS && !env.DATABASE_URL) problems.push('DATABASE_REPLICA_URLS: needs DATABASE_URL (replicas of the embedded database do not exist)');
  if (Boolean(env.BOOTSTRAP_ADMIN_EMAIL) !== Boolean(env.BOOTSTRAP_ADMIN_PASSWORD)) {
    problems.push('BOOTSTRAP_ADMIN_PASSWORD: set both BOOTSTRAP_ADMIN_EMAIL and BOOTSTRAP_ADMIN_PASSWORD, or neither');
  }
  return problems;
}

export type Config = Readonly<{
  env: 'development' | 'test' | 'production';
  port: number;
  host: string;
  database: Readonly<{ url: string | undefined; replicaUrls: readonly string[]; schema: string; poolMax: number; dataDir: string }>;
  seedDemo: boolean;
  jwt: Readonly<{ secret: string | undefined; issuer: string; audience: string; accessTtlSeconds: number; refreshTtlSeconds: number }>;
  bootstrapAdmin: Readonly<{ email: string; password: string }> | undefined;
  logLevel: string;
  validateResponses: boolean;
  bodyLimitBytes: number;
  publicMaxAgeSeconds: number;
  readCache: Readonly<{ ttlSeconds: number; staleSeconds: number; maxBytes: number }>;
  shutdownTimeoutMs: number;
  trustProxy: boolean | number | string;
  corsOrigins: readonly string[];
}>;

export class ConfigError extends Error {}

/** Parses the environment once; throws ConfigError naming every bad variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  // an empty or blank variable (VAR= in a shell or compose file) means unset, not an invalid value
  const present = Object.fromEntries(Object.entries(env).filter(([, value]) => value !== undefined && value.trim() !== ''));
  const parsed = schema.safeParse(present);
  const problems = [
    ...(parsed.success ? [] : parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`)),
    ...crossFieldProblems(present),
  ];
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
      dataDir: e.DATA_DIR,
    }),
    seedDemo: e.SEED_DEMO ?? !e.DATABASE_URL,
    jwt: Object.freeze({
      secret: e.JWT_SECRET,
      issuer: e.JWT_ISSUER,
      audience: e.JWT_AUDIENCE,
      accessTtlSeconds: e.ACCESS_TOKEN_TTL_SECONDS,
      refreshTtlSeconds: e.REFRESH_TOKEN_TTL_SECONDS,
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
      maxBytes: e.READ_CACHE_MAX_MB * 1024 * 1024,
    }),
    shutdownTimeoutMs: e.SHUTDOWN_TIMEOUT_MS,
    trustProxy: parseTrustProxy(e.TRUST_PROXY),
    corsOrigins: Object.freeze(e.CORS_ORIGINS),
  });
}

function parseTrustProxy(value: string): boolean | number | string {
  if (value === 'true') return true;
  if (value === 'false') return false;
  if (/^\d+$/.test(value)) return Number(value);
  return value;
}
