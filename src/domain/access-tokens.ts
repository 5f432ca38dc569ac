import { createHash, randomUUID } from 'node:crypto';
import jwt from 'jsonwebtoken';

/**
 * `secret` signs; `previousSecrets` (earlier JWT_SECRETs) still verify, so rotating the key signs
 * nobody out: keep the old secret there for at least one access-token lifetime, then drop it.
 */
export type AccessTokenSettings = Readonly<{
  secret: string;
  previousSecrets?: readonly string[];
  issuer: string;
  audience: string;
  ttlSeconds: number;
}>;

export const ACCESS_TOKEN_ALGORITHMS: jwt.Algorithm[] = ['HS256'];

/** Names the signing key without revealing it, so a token says which key to verify it with. */
export const keyIdOf = (secret: string) => `hs-${createHash('sha256').update(secret).digest('hex').slice(0, 12)}`;

/** The secret a token's `kid` names, when it is one of ours (current or still accepted). */
export function verificationSecretFor(settings: AccessTokenSettings, kid: unknown): string | undefined {
  if (typeof kid !== 'string') return undefined;
  return [settings.secret, ...(settings.previousSecrets ?? [])].find((secret) => keyIdOf(secret) === kid);
}

export function signAccessToken(settings: AccessTokenSettings, editor: { id: string; role: string }): string {
  return jwt.sign({ role: editor.role }, settings.secret, {
    algorithm: 'HS256',
    expiresIn: settings.ttlSeconds,
    issuer: settings.issuer,
    audience: settings.audience,
    subject: editor.id,
    keyid: keyIdOf(settings.secret),
    jwtid: randomUUID(),
  });
}
