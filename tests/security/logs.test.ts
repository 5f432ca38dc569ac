import { createHash, randomBytes } from 'node:crypto';
import { Writable } from 'node:stream';
import { createLogger } from '../../src/logger.js';
import { useTestApp } from '../support/test-app.js';
import { createEditor } from '../support/fixtures.js';

// Logs never hold a password, a token or a hash: the app runs with the production logger at its
// most verbose level, every credential flow runs with canary values, and the captured lines are searched.

const lines: string[] = [];
const capture = new Writable({
  write(chunk, _encoding, done) {
    lines.push(...String(chunk).split('\n').filter(Boolean));
    done();
  },
});

const app = useTestApp({}, { logger: createLogger('trace', capture) });

const canary = (what: string) => `canary-${what}-${randomBytes(6).toString('hex')}`;

describe('logs', () => {
  test('when editors are created, sign in, fail to, refresh, change passwords and send bad tokens, then no canary password, token or hash is logged', async () => {
    const admin = await createEditor(app, 'admin');
    const email = `logs-${randomBytes(4).toString('hex')}@test.example`;
    const initialPassword = canary('initial');
    const newPassword = canary('new');
    const wrongPassword = canary('wrong');
    const forgedToken = `eyJhbGciOiJIUzI1NiJ9.${Buffer.from(canary('forged')).toString('base64url')}.c2ln`;

    await app.request('POST', '/v1/editors', { token: admin.token, body: { email, display_name: 'Log Canary', initial_password: initialPassword } });
    await app.request('POST', '/v1/auth/login', { body: { email, password: wrongPassword } });
    const signIn = await app.request('POST', '/v1/auth/login', { body: { email, password: initialPassword } });
    await app.request('POST', '/v1/me/password', { token: signIn.body.access_token, body: { current_password: initialPassword, new_password: newPassword } });
    const again = await app.request('POST', '/v1/auth/login', { body: { email, password: newPassword } });
    const refreshed = await app.request('POST', '/v1/auth/refresh', { body: { refresh_token: again.body.refresh_token } });
    await app.request('POST', '/v1/auth/refresh', { body: { refresh_token: again.body.refresh_token } }); // replay
    await app.request('GET', '/v1/me', { token: forgedToken });
    await app.request('GET', `/v1/content?q=${encodeURIComponent(canary('query'))}`);
    await app.request('POST', '/v1/auth/logout', { body: { refresh_token: refreshed.body.refresh_token } });
    const storedHash = (await app.db.knex('editors').where({ email }).first('password_hash'))?.password_hash as string;

    const log = lines.join('\n');
    const secrets = {
      initialPassword,
      newPassword,
      wrongPassword,
      accessToken: again.body.access_token,
      refreshToken: again.body.refresh_token,
      refreshTokenHash: createHash('sha256').update(again.body.refresh_token).digest('hex'),
      forgedToken,
      storedHash,
    };
    expect([signIn.status, again.status, refreshed.status]).toEqual([200, 200, 200]);
    expect(log).toContain('/v1/auth/login'); // the capture works: the requests were logged
    expect(
      Object.entries(secrets)
        .filter(([, secret]) => log.includes(secret))
        .map(([name]) => name),
    ).toEqual([]);
    expect(log).not.toMatch(/\$argon2|canary-/);
  });

  test('when code logs an object holding credential fields, then the logger redacts them at any of three depths', () => {
    const logged: string[] = [];
    const logger = createLogger('info', new Writable({ write: (chunk, _e, done) => (logged.push(String(chunk)), done()) }));

    logger.info({ password: 'p1', body: { new_password: 'p2', refresh_token: 't1' }, req: { headers: { authorization: 'Bearer t2' } } }, 'credentials');

    expect(logged.join('')).not.toMatch(/p1|p2|t1|t2/);
    expect(JSON.parse(logged[0] as string)).toMatchObject({
      password: '[redacted]',
      body: { new_password: '[redacted]' },
      req: { headers: { authorization: '[redacted]' } },
    });
  });
});
