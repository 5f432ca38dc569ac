import { createHash, randomUUID } from 'node:crypto';
import jwt from 'jsonwebtoken';

export type AccessTokenSettings = Readonly<{ secret: string; issuer: string; audience: string; ttlSeconds: number }>;

export const ACCESS_TOKEN_ALGORITHMS: jwt.Algorithm[] = ['HS256'];

/** Names the signing key without revealing it, so keys can rotate by kid later. */
export const keyIdOf = (secret: string) => `hs-${createHash('sha256').update(secret).digest('hex').slice(0, 12)}`;

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
