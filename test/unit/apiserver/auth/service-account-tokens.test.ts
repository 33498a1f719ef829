import { decodeJwt, decodeProtectedHeader, SignJWT } from 'jose';
import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { DEFAULT_ISSUER, ServiceAccountTokens, type ObjectLookup } from '../../../../src/apiserver/auth/service-account-tokens.js';

function setup() {
  let now = new Date('2026-01-01T00:00:00Z');
  const objects = new Map<string, string>([['ServiceAccount/ns/bot', 'sa-uid'], ['Pod/ns/p', 'pod-uid']]);
  const lookup: ObjectLookup = { uid: (kind, ns, name) => objects.get(`${kind}/${ns}/${name}`) };
  const tokens = new ServiceAccountTokens({ now: () => now, lookup });
  const issue = (over: Partial<Parameters<ServiceAccountTokens['issue']>[0]> = {}) =>
    tokens.issue({ namespace: 'ns', serviceAccount: { name: 'bot', uid: 'sa-uid' }, audiences: [DEFAULT_ISSUER], expirationSeconds: 3600, ...over });
  return { tokens, objects, issue, advance: (s: number) => (now = new Date(now.getTime() + s * 1000)) };
}

describe('ServiceAccount tokens (TokenRequest)', () => {
  it("carries kube's claims", async () => {
    const { issue } = setup();
    const { token, expiration } = await issue({ audiences: ['api', 'vault'] });
    expect(decodeProtectedHeader(token).alg).toBe('ES256');
    const claims = decodeJwt(token);
    expect(claims).toMatchObject({
      iss: DEFAULT_ISSUER,
      sub: 'system:serviceaccount:ns:bot',
      aud: ['api', 'vault'],
      iat: Date.parse('2026-01-01T00:00:00Z') / 1000,
      nbf: Date.parse('2026-01-01T00:00:00Z') / 1000,
      exp: Date.parse('2026-01-01T01:00:00Z') / 1000,
      'kubernetes.io': { namespace: 'ns', serviceaccount: { name: 'bot', uid: 'sa-uid' } },
    });
    expect(typeof claims.jti).toBe('string');
    expect(expiration.toISOString()).toBe('2026-01-01T01:00:00.000Z');
  });

  it('verifies to the ServiceAccount user with its groups and credential id', async () => {
    const { tokens, issue } = setup();
    const { token } = await issue();
    const result = await tokens.verify(token);
    expect(result).toMatchObject({ ok: true, audiences: [DEFAULT_ISSUER] });
    if (!result.ok) return;
    expect(result.user).toEqual({
      name: 'system:serviceaccount:ns:bot',
      uid: 'sa-uid',
      groups: ['system:serviceaccounts', 'system:serviceaccounts:ns'],
      extra: { 'authentication.kubernetes.io/credential-id': [`JTI=${decodeJwt(token).jti}`] },
    });
  });

  const failures: { name: string; run: (s: ReturnType<typeof setup>) => Promise<{ token: string; audiences?: string[] }>; error: RegExp }[] = [
    { name: 'expired (on the cluster clock)', run: async (s) => { const t = await s.issue({ expirationSeconds: 600 }); s.advance(601); return t; }, error: /expired/ },
    { name: 'another audience', run: async (s) => ({ ...(await s.issue({ audiences: ['vault'] })) }), error: /audiences is invalid/ },
    { name: 'asked for an audience the token lacks', run: async (s) => ({ ...(await s.issue()), audiences: ['vault'] }), error: /audiences is invalid/ },
    { name: 'ServiceAccount deleted', run: async (s) => { const t = await s.issue(); s.objects.delete('ServiceAccount/ns/bot'); return t; }, error: /serviceaccounts "bot" not found/ },
    { name: 'ServiceAccount recreated (new uid)', run: async (s) => { const t = await s.issue(); s.objects.set('ServiceAccount/ns/bot', 'new-uid'); return t; }, error: /UID \(new-uid\) does not match claim \(sa-uid\)/ },
    { name: 'bound pod deleted', run: async (s) => { const t = await s.issue({ boundObject: { kind: 'Pod', apiVersion: 'v1', name: 'p', uid: 'pod-uid' } }); s.objects.delete('Pod/ns/p'); return t; }, error: /pods "p" not found/ },
    { name: 'a tampered payload', run: async (s) => { const { token } = await s.issue(); const [h, , sig] = token.split('.'); const p = Buffer.from(JSON.stringify({ ...decodeJwt(token), sub: 'system:serviceaccount:ns:admin' })).toString('base64url'); return { token: `${h}.${p}.${sig}` }; }, error: /invalid bearer token/ },
    {
      name: 'signed by another key',
      run: async () => {
        const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
        const token = await new SignJWT({ 'kubernetes.io': { namespace: 'ns', serviceaccount: { name: 'bot', uid: 'sa-uid' } } })
          .setProtectedHeader({ alg: 'ES256' }).setIssuer(DEFAULT_ISSUER).setSubject('system:serviceaccount:ns:bot').setAudience(DEFAULT_ISSUER).setExpirationTime('1h').sign(privateKey);
        return { token };
      },
      error: /invalid bearer token/,
    },
    { name: 'not a JWT at all', run: async () => ({ token: 'a.b.c' }), error: /invalid bearer token/ },
  ];
  for (const f of failures) {
    it(`refuses a token: ${f.name}`, async () => {
      const s = setup();
      const { token, audiences } = await f.run(s);
      const result = await s.tokens.verify(token, audiences);
      expect(result.ok).toBe(false);
      if (!result.ok) expect(result.error).toMatch(f.error);
    });
  }

  it('a token bound to a live pod verifies and names the pod in extra', async () => {
    const s = setup();
    const { token } = await s.issue({ boundObject: { kind: 'Pod', apiVersion: 'v1', name: 'p', uid: 'pod-uid' } });
    const result = await s.tokens.verify(token);
    expect(result.ok && result.user.extra).toMatchObject({ 'authentication.kubernetes.io/pod-name': ['p'], 'authentication.kubernetes.io/pod-uid': ['pod-uid'] });
  });
});
