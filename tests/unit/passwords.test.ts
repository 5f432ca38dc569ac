import { ConfigError, loadConfig } from '../../src/config.js';
import { hashPassword, verifyPassword } from '../../src/domain/passwords.js';

// Test suites may hash passwords cheaply (PASSWORD_HASH_COST=test); production never does.

const SECRET = 's'.repeat(32);
const ASVS_ARGON2ID = /^\$argon2id\$v=19\$m=19456,t=2,p=1\$/;

describe('password hashing cost', () => {
  test('when NODE_ENV=production, then new passwords are hashed with argon2id at m=19456 KiB, t=2, p=1 (OWASP ASVS)', async () => {
    const config = loadConfig({ NODE_ENV: 'production', JWT_SECRET: SECRET });

    const hash = await hashPassword('a production password', config.passwordHashCost);

    expect(config.passwordHashCost).toBe('production');
    expect(hash).toMatch(ASVS_ARGON2ID);
    expect(await verifyPassword(hash, 'a production password')).toBe(true);
  });

  test('when production is configured with the test cost, then ConfigError names PASSWORD_HASH_COST', () => {
    expect(() => loadConfig({ NODE_ENV: 'production', JWT_SECRET: SECRET, PASSWORD_HASH_COST: 'test' })).toThrow(ConfigError);
    expect(() => loadConfig({ NODE_ENV: 'production', JWT_SECRET: SECRET, PASSWORD_HASH_COST: 'test' })).toThrow(/PASSWORD_HASH_COST/);
    expect(loadConfig({ NODE_ENV: 'production', JWT_SECRET: SECRET, PASSWORD_HASH_COST: 'production' }).passwordHashCost).toBe('production');
  });

  test('when nothing chooses a cost, then it is the production one (config default and hashPassword default)', async () => {
    expect(loadConfig({}).passwordHashCost).toBe('production');
    expect(loadConfig({ NODE_ENV: 'test' }).passwordHashCost).toBe('production');
    expect(await hashPassword('no cost given')).toMatch(ASVS_ARGON2ID);
  });

  test('when tests choose the test cost, then hashes are argon2id at 1 MiB, 1 pass, and verify like any other', async () => {
    const hash = await hashPassword('a test password', loadConfig({ NODE_ENV: 'test', PASSWORD_HASH_COST: 'test' }).passwordHashCost);

    expect(hash).toMatch(/^\$argon2id\$v=19\$m=1024,t=1,p=1\$/);
    expect(await verifyPassword(hash, 'a test password')).toBe(true);
    expect(await verifyPassword(hash, 'another password')).toBe(false);
  });

  test('when an unknown cost is asked for, then ConfigError names PASSWORD_HASH_COST', () => {
    expect(() => loadConfig({ PASSWORD_HASH_COST: 'fast' })).toThrow(/PASSWORD_HASH_COST/);
  });
});
