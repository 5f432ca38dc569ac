import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Config } from './config.js';

/**
 * The access-token key. Production must set JWT_SECRET (config enforces it). Locally, a key is
 * generated once and kept beside the embedded database, so restarts do not sign everyone out.
 */
export function resolveJwtSecret(config: Config): { secret: string; source: 'env' | 'file' | 'ephemeral' } {
  if (config.jwt.secret) return { secret: config.jwt.secret, source: 'env' };
  if (config.database.url || config.database.dataDir === 'memory://') {
    return { secret: randomBytes(48).toString('base64url'), source: 'ephemeral' };
  }
  const file = path.join(config.database.dataDir, 'jwt-secret');
  if (fs.existsSync(file)) return { secret: fs.readFileSync(file, 'utf8').trim(), source: 'file' };
  const secret = randomBytes(48).toString('base64url');
  fs.mkdirSync(config.database.dataDir, { recursive: true });
  fs.writeFileSync(file, secret, { mode: 0o600 });
  return { secret, source: 'file' };
}
