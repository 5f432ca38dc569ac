import { createHmac } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, exportSPKI, generateKeyPair, SignJWT, type CryptoKey, type JWTPayload } from 'jose';

// A stand-in for an external identity provider: its JWKS on a local port (no internet in tests)
// and a signer for its access tokens.

export const IDP_ISSUER = 'https://idp.test.example/';

export type IdentityProvider = {
  jwksUrl: string;
  kid: string;
  /** The provider's public key as PEM: what a key-confusion attacker would use as an HMAC secret. */
  publicKeyPem: string;
  /** An RS256 token of the provider; claims and the signing key can be varied. */
  sign(claims: JWTPayload, options?: { key?: CryptoKey; kid?: string; expiresIn?: string | number }): Promise<string>;
  /** Answer the JWKS with this status from now on (200: the set). */
  answer(status: number): void;
  close(): Promise<void>;
};

export async function startIdentityProvider(): Promise<IdentityProvider> {
  const { publicKey, privateKey } = await generateKeyPair('RS256', { extractable: true });
  const kid = 'idp-key-1';
  const jwk = { ...(await exportJWK(publicKey)), kid, alg: 'RS256', use: 'sig' };
  let status = 200;
  const server: Server = createServer((req, res) => {
    if (req.url !== '/.well-known/jwks.json' || status !== 200) {
      res.writeHead(req.url === '/.well-known/jwks.json' ? status : 404).end();
      return;
    }
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ keys: [jwk] }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    jwksUrl: `http://127.0.0.1:${port}/.well-known/jwks.json`,
    kid,
    publicKeyPem: await exportSPKI(publicKey),
    sign: (claims, options = {}) =>
      new SignJWT(claims)
        .setProtectedHeader({ alg: 'RS256', kid: options.kid ?? kid })
        .setIssuer(claims.iss ?? IDP_ISSUER)
        .setIssuedAt()
        .setExpirationTime(options.expiresIn ?? '5m')
        .sign(options.key ?? privateKey),
    answer: (next) => {
      status = next;
    },
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

/** A compact JWS with any header, signed with HMAC-SHA256 over `secret` (e.g. a public key's PEM). */
export function hmacToken(header: Record<string, unknown>, payload: Record<string, unknown>, secret: string): string {
  const encode = (part: unknown) => Buffer.from(JSON.stringify(part)).toString('base64url');
  const input = `${encode(header)}.${encode(payload)}`;
  return `${input}.${createHmac('sha256', secret).update(input).digest('base64url')}`;
}
