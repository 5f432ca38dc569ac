import { hash, verify, type Options } from '@node-rs/argon2';
import type { Config } from '../config.js';

export type PasswordHashCost = Config['passwordHashCost'];

/**
 * argon2id either way. production: OWASP's baseline (ASVS), 19 MiB, 2 passes, 1 lane (~25 ms here).
 * test: 1 MiB, 1 pass (~1 ms), so suites that create hundreds of editors stay fast; config refuses it in production.
 * A hash records its own parameters: verifying never needs to know which cost made it.
 */
export const HASH_OPTIONS: Readonly<Record<PasswordHashCost, Options>> = {
  production: { algorithm: 2 /* Argon2id */, memoryCost: 19456, timeCost: 2, parallelism: 1 },
  test: { algorithm: 2 /* Argon2id */, memoryCost: 1024, timeCost: 1, parallelism: 1 },
};

export const hashPassword = (password: string, cost: PasswordHashCost = 'production'): Promise<string> => hash(password, HASH_OPTIONS[cost]);

export async function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
  try {
    return await verify(passwordHash, password);
  } catch {
    return false;
  }
}

const dummyHashes: Partial<Record<PasswordHashCost, Promise<string>>> = {};
/** Verifying against a throwaway hash of the same cost makes an unknown email cost as much as a wrong password. */
export async function burnPasswordCheck(password: string, cost: PasswordHashCost = 'production'): Promise<void> {
  const dummyHash = (dummyHashes[cost] ??= hashPassword('not-a-real-password-just-for-timing', cost));
  await verifyPassword(await dummyHash, password);
}
