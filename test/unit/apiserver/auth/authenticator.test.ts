import { describe, expect, it } from 'vitest';
import { bearerToken, RequestAuthenticator, type AuthenticatorConfig, type Credentials } from '../../../../src/apiserver/auth/authenticator.js';
import { ADMIN_USER } from '../../../../src/apiserver/auth/user.js';

const tokens = new Map([['alice-token', { name: 'alice', uid: 'a1', groups: ['dev'] }]]);
const cert = (subject: Record<string, string | string[]>, authorized = true): Credentials['clientCertificate'] => ({ authorized, subject });

describe('RequestAuthenticator (kube union order)', () => {
  const cases: { name: string; config: Partial<AuthenticatorConfig>; creds: Credentials; expect: { user?: string; groups?: string[]; unauthorized?: boolean } }[] = [
    { name: 'token mode: a static token', config: {}, creds: { authorization: 'Bearer alice-token' }, expect: { user: 'alice', groups: ['dev', 'system:authenticated'] } },
    { name: 'the scheme is case-insensitive', config: {}, creds: { authorization: 'bearer alice-token' }, expect: { user: 'alice' } },
    { name: 'token mode: a bad token is 401 even with anonymous on', config: { anonymous: true }, creds: { authorization: 'Bearer nope' }, expect: { unauthorized: true } },
    { name: 'token mode: no credentials is anonymous', config: {}, creds: {}, expect: { user: 'system:anonymous', groups: ['system:unauthenticated'] } },
    { name: 'token mode: no credentials with anonymous off is 401', config: { anonymous: false }, creds: {}, expect: { unauthorized: true } },
    { name: 'a Basic header is no bearer token', config: { anonymous: false }, creds: { authorization: 'Basic YTpi' }, expect: { unauthorized: true } },
    { name: 'a client certificate comes first', config: {}, creds: { authorization: 'Bearer alice-token', clientCertificate: cert({ CN: 'bob', O: ['ops', 'qa'] }) }, expect: { user: 'bob', groups: ['ops', 'qa', 'system:authenticated'] } },
    { name: 'an unverified certificate fails, but a good token still wins', config: {}, creds: { authorization: 'Bearer alice-token', clientCertificate: cert({ CN: 'bob' }, false) }, expect: { user: 'alice' } },
    { name: 'an unverified certificate alone is 401', config: {}, creds: { clientCertificate: cert({ CN: 'bob' }, false) }, expect: { unauthorized: true } },
    { name: 'a certificate without CN falls through to anonymous', config: {}, creds: { clientCertificate: cert({ O: 'ops' }) }, expect: { user: 'system:anonymous' } },
    { name: 'system:authenticated is not added twice', config: { tokens: new Map([['t', { name: 'x', groups: ['system:authenticated'] }]]) }, creds: { authorization: 'Bearer t' }, expect: { groups: ['system:authenticated'] } },
    { name: 'the loopback token is the administrator', config: { loopbackToken: 'loop' }, creds: { authorization: 'Bearer loop' }, expect: { user: ADMIN_USER.name, groups: ADMIN_USER.groups } },
    { name: 'none mode: no credentials is the administrator', config: { mode: 'none' }, creds: {}, expect: { user: ADMIN_USER.name } },
    { name: 'none mode: a bad token is ignored (administrator)', config: { mode: 'none' }, creds: { authorization: 'Bearer nope' }, expect: { user: ADMIN_USER.name } },
    { name: 'none mode: a valid token is honoured', config: { mode: 'none' }, creds: { authorization: 'Bearer alice-token' }, expect: { user: 'alice' } },
  ];
  for (const c of cases) {
    it(c.name, async () => {
      const result = await new RequestAuthenticator({ mode: 'token', tokens, ...c.config }).authenticate(c.creds);
      if (c.expect.unauthorized) return expect(result.ok).toBe(false);
      expect(result.ok).toBe(true);
      if (!result.ok) return;
      if (c.expect.user) expect(result.user.name).toBe(c.expect.user);
      if (c.expect.groups) expect(result.user.groups).toEqual(c.expect.groups);
    });
  }

  it('reads bearer tokens as kube does', () => {
    expect(bearerToken('Bearer abc')).toBe('abc');
    expect(bearerToken('  Bearer abc  ')).toBe('abc');
    expect(bearerToken('Bearer ')).toBeUndefined();
    expect(bearerToken('Bearer')).toBeUndefined();
    expect(bearerToken('Token abc')).toBeUndefined();
    expect(bearerToken(undefined)).toBeUndefined();
  });
});
