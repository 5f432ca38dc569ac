import { ConfigError, loadConfig } from '../../src/config.js';

const SECRET = 's'.repeat(32);

/** The ConfigError loadConfig throws for this environment (fails the test if it does not throw). */
function configErrorFor(env: Record<string, string>): ConfigError {
  try {
    loadConfig(env);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return error as ConfigError;
  }
  throw new Error(`loadConfig accepted ${JSON.stringify(env)}`);
}

describe('loadConfig', () => {
  test('when nothing is set, then every value has its documented default and the config is frozen', () => {
    const config = loadConfig({});

    expect(config).toMatchObject({
      env: 'development',
      port: 3000,
      host: '0.0.0.0',
      database: { url: undefined, schema: 'public', poolMax: 10, dataDir: '.data' },
      seedDemo: true,
      jwt: { secret: undefined, issuer: 'https://api.randomcamerareviews.example', audience: 'randomcamerareviews-api', accessTtlSeconds: 900 },
      bootstrapAdmin: undefined,
      logLevel: 'info',
      validateResponses: false,
      bodyLimitBytes: 256 * 1024,
      publicMaxAgeSeconds: 60,
      trustProxy: false,
      rateLimits: {
        redisUrl: undefined,
        keyPrefix: 'rcr',
        loginFreeFailures: 5,
        loginBackoffMaxSeconds: 900,
        loginAccountBackoffMaxSeconds: 60,
        authRequestsPerMinute: 30,
        editorRequestsPerMinute: 300,
        reviewsPerHour: 30,
      },
    });
    expect(config.jwt).toMatchObject({ previousSecrets: [], jwks: undefined });
    expect(Object.isFrozen(config) && Object.isFrozen(config.database) && Object.isFrozen(config.jwt) && Object.isFrozen(config.rateLimits)).toBe(true);
  });

  test('when NODE_ENV=test, then responses are validated against the contract', () => {
    expect(loadConfig({ NODE_ENV: 'test' }).validateResponses).toBe(true);
    expect(loadConfig({ NODE_ENV: 'test', VALIDATE_RESPONSES: 'false' }).validateResponses).toBe(false);
  });

  test('when production has no JWT_SECRET (or an empty one), then ConfigError names JWT_SECRET', () => {
    expect(configErrorFor({ NODE_ENV: 'production' }).message).toContain('JWT_SECRET');
    expect(configErrorFor({ NODE_ENV: 'production', JWT_SECRET: '' }).message).toContain('JWT_SECRET');
    expect(loadConfig({ NODE_ENV: 'production', JWT_SECRET: SECRET }).jwt.secret).toBe(SECRET);
  });

  test('when JWT_SECRET is too short, then ConfigError names it without echoing the value', () => {
    const error = configErrorFor({ JWT_SECRET: 'hunter2-but-short' });
    expect(error.message).toContain('JWT_SECRET');
    expect(error.message).not.toContain('hunter2');
  });

  test('when only one of BOOTSTRAP_ADMIN_EMAIL and BOOTSTRAP_ADMIN_PASSWORD is set, then ConfigError names both', () => {
    const halves: Record<string, string>[] = [{ BOOTSTRAP_ADMIN_EMAIL: 'root@example.com' }, { BOOTSTRAP_ADMIN_PASSWORD: 'correct horse battery' }];
    for (const env of halves) {
      const { message } = configErrorFor(env);
      expect(message).toContain('BOOTSTRAP_ADMIN_EMAIL');
      expect(message).toContain('BOOTSTRAP_ADMIN_PASSWORD');
      expect(message).not.toContain('correct horse');
    }
    const both = loadConfig({ BOOTSTRAP_ADMIN_EMAIL: 'root@example.com', BOOTSTRAP_ADMIN_PASSWORD: 'correct horse battery' });
    expect(both.bootstrapAdmin).toEqual({ email: 'root@example.com', password: 'correct horse battery' });
  });

  test.each(['abc', '70000', '-1', '80.5'])('when PORT is %s, then ConfigError names PORT', (port) => {
    expect(configErrorFor({ PORT: port }).message).toMatch(/^\s*PORT: /m);
  });

  test('when PORT is valid or empty, then it is used or defaulted', () => {
    expect(loadConfig({ PORT: '8080' }).port).toBe(8080);
    expect(loadConfig({ PORT: '' }).port).toBe(3000);
  });

  test('when several variables are wrong, then one ConfigError names them all', () => {
    const { message } = configErrorFor({ NODE_ENV: 'production', PORT: 'abc', DATABASE_URL: 'mysql://db/reviews' });
    expect(message).toContain('PORT');
    expect(message).toContain('DATABASE_URL');
    expect(message).toContain('JWT_SECRET');
  });

  test('when SEED_DEMO is unset, then the demo is seeded only without DATABASE_URL', () => {
    expect(loadConfig({}).seedDemo).toBe(true);
    expect(loadConfig({ DATABASE_URL: 'postgres://app@db:5432/reviews' }).seedDemo).toBe(false);
  });

  test('when SEED_DEMO is set, then it wins either way; a value that is not a boolean is refused', () => {
    expect(loadConfig({ SEED_DEMO: 'false' }).seedDemo).toBe(false);
    expect(loadConfig({ SEED_DEMO: '1', DATABASE_URL: 'postgresql://app@db/reviews' }).seedDemo).toBe(true);
    expect(configErrorFor({ SEED_DEMO: 'yes' }).message).toContain('SEED_DEMO');
  });

  test('when DEMO_ACCOUNTS is unset, then demo accounts exist only on the embedded database outside production; true asks for them with DATABASE_URL', () => {
    const production = { NODE_ENV: 'production', JWT_SECRET: SECRET };
    expect(loadConfig({}).demoAccounts).toBe(true);
    expect(loadConfig({ DATABASE_URL: 'postgres://app@db:5432/reviews' }).demoAccounts).toBe(false);
    expect(loadConfig(production).demoAccounts).toBe(false);
    expect(loadConfig({ DEMO_ACCOUNTS: 'true', DATABASE_URL: 'postgres://app@db:5432/reviews' }).demoAccounts).toBe(true);
    expect(loadConfig({ DEMO_ACCOUNTS: 'false' }).demoAccounts).toBe(false);
  });

  test('when DEMO_ACCOUNTS=true in production, then ConfigError refuses it: their passwords are printed', () => {
    expect(configErrorFor({ NODE_ENV: 'production', JWT_SECRET: SECRET, DEMO_ACCOUNTS: 'true' }).message).toMatch(
      /^\s*DEMO_ACCOUNTS: demo accounts are never created in production/m,
    );
  });

  test('when a value is malformed, then the message says what a good one looks like', () => {
    expect(configErrorFor({ DATABASE_URL: 'mysql://app:pw@db/reviews' }).message).toMatch(/^\s*DATABASE_URL: must be postgres:\/\/ or postgresql:\/\//m);
    expect(configErrorFor({ PORT: 'eighty' }).message).toMatch(/^\s*PORT: must be a whole number from 0 to 65535$/m);
    expect(configErrorFor({ SEED_DEMO: 'yes' }).message).toMatch(/^\s*SEED_DEMO: must be true or false$/m);
  });

  test('when TRUST_PROXY is set, then booleans and hop counts are typed and anything else is kept as text', () => {
    expect(loadConfig({ TRUST_PROXY: 'true' }).trustProxy).toBe(true);
    expect(loadConfig({ TRUST_PROXY: '2' }).trustProxy).toBe(2);
    expect(loadConfig({ TRUST_PROXY: 'loopback, 10.0.0.0/8' }).trustProxy).toBe('loopback, 10.0.0.0/8');
  });

  test('when CORS_ORIGINS lists origins, then they are kept in order; a URL with a path or another scheme is refused', () => {
    expect(loadConfig({}).corsOrigins).toEqual([]);
    expect(loadConfig({ CORS_ORIGINS: 'https://portal.example, http://localhost:5173' }).corsOrigins).toEqual([
      'https://portal.example',
      'http://localhost:5173',
    ]);
    expect(configErrorFor({ CORS_ORIGINS: 'https://portal.example/app' }).message).toContain('CORS_ORIGINS');
    expect(configErrorFor({ CORS_ORIGINS: 'ftp://portal.example' }).message).toContain('CORS_ORIGINS');
  });

  test('when JWT_PREVIOUS_SECRETS lists earlier keys, then they are kept in order; a short one is refused without echoing it', () => {
    expect(loadConfig({ JWT_PREVIOUS_SECRETS: `${'a'.repeat(32)}, ${'b'.repeat(40)}` }).jwt.previousSecrets).toEqual(['a'.repeat(32), 'b'.repeat(40)]);
    const error = configErrorFor({ JWT_PREVIOUS_SECRETS: `${'a'.repeat(32)},hunter2-short` });
    expect(error.message).toContain('JWT_PREVIOUS_SECRETS');
    expect(error.message).not.toContain('hunter2');
  });

  test('when only one of JWT_JWKS_URL and JWT_JWKS_ISSUER is set, then ConfigError names both; with both, the provider uses our audience', () => {
    expect(configErrorFor({ JWT_JWKS_URL: 'https://idp.example/.well-known/jwks.json' }).message).toContain('JWT_JWKS_ISSUER');
    expect(configErrorFor({ JWT_JWKS_ISSUER: 'https://idp.example/' }).message).toContain('JWT_JWKS_URL');
    expect(
      loadConfig({ JWT_JWKS_URL: 'https://idp.example/jwks', JWT_JWKS_ISSUER: 'https://idp.example/', JWT_JWKS_EMAIL_CLAIM: 'https://rcr.example/email' }).jwt
        .jwks,
    ).toEqual({
      url: 'https://idp.example/jwks',
      issuer: 'https://idp.example/',
      emailClaim: 'https://rcr.example/email',
    });
  });

  test('when production fetches the JWKS over http or trusts any proxy, then ConfigError names the variable', () => {
    const production = { NODE_ENV: 'production', JWT_SECRET: SECRET };
    expect(configErrorFor({ ...production, JWT_JWKS_URL: 'http://idp.example/jwks', JWT_JWKS_ISSUER: 'https://idp.example/' }).message).toContain(
      'JWT_JWKS_URL',
    );
    expect(configErrorFor({ ...production, TRUST_PROXY: 'true' }).message).toContain('TRUST_PROXY');
    expect(loadConfig({ ...production, TRUST_PROXY: '10.0.0.0/8' }).trustProxy).toBe('10.0.0.0/8');
  });

  test('when REDIS_URL is not a redis URL or a limit is zero, then ConfigError names it', () => {
    expect(loadConfig({ REDIS_URL: 'redis://127.0.0.1:6379/2' }).rateLimits.redisUrl).toBe('redis://127.0.0.1:6379/2');
    expect(configErrorFor({ REDIS_URL: 'http://127.0.0.1:6379' }).message).toContain('REDIS_URL');
    expect(configErrorFor({ REVIEWS_PER_HOUR: '0', LOGIN_FREE_FAILURES: '0' }).message).toMatch(
      /REVIEWS_PER_HOUR[\s\S]*LOGIN_FREE_FAILURES|LOGIN_FREE_FAILURES[\s\S]*REVIEWS_PER_HOUR/,
    );
  });

  test('when DATABASE_REPLICA_URLS lists replicas, then they are kept in order; unset or blank means none', () => {
    const primary = { DATABASE_URL: 'postgres://app@db:5432/reviews' };
    expect(loadConfig(primary).database.replicaUrls).toEqual([]);
    expect(loadConfig({ ...primary, DATABASE_REPLICA_URLS: ' , ' }).database.replicaUrls).toEqual([]);
    expect(loadConfig({ ...primary, DATABASE_REPLICA_URLS: 'postgres://app@r1:5432/reviews, postgresql://app@r2/reviews' }).database.replicaUrls).toEqual([
      'postgres://app@r1:5432/reviews',
      'postgresql://app@r2/reviews',
    ]);
  });

  test('when a replica URL is not PostgreSQL, or replicas are set without DATABASE_URL, then ConfigError names DATABASE_REPLICA_URLS without echoing secrets', () => {
    const bad = configErrorFor({ DATABASE_URL: 'postgres://app@db/reviews', DATABASE_REPLICA_URLS: 'mysql://app:s3cret-pw@r1/reviews' });
    expect(bad.message).toContain('DATABASE_REPLICA_URLS');
    expect(bad.message).not.toContain('s3cret-pw');
    expect(configErrorFor({ DATABASE_REPLICA_URLS: 'postgres://app@r1/reviews' }).message).toMatch(/DATABASE_REPLICA_URLS: needs DATABASE_URL/);
  });
});
