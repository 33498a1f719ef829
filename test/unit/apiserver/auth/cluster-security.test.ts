import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isLoopbackHost, resolveClusterSecurity, SecurityConfigError } from '../../../../src/apiserver/auth/cluster-security.js';
import { parseCliArgs, UsageError } from '../../../../src/cli/args.js';

describe('isLoopbackHost', () => {
  const cases: [string, boolean][] = [
    ['127.0.0.1', true], ['127.1.2.3', true], ['localhost', true], ['::1', true], ['[::1]', true],
    ['0.0.0.0', false], ['::', false], ['10.0.0.5', false], ['example.com', false], ['128.0.0.1', false],
  ];
  for (const [host, loopback] of cases) it(`${host} -> ${loopback}`, () => expect(isLoopbackHost(host)).toBe(loopback));
});

describe('resolveClusterSecurity', () => {
  it('loopback defaults to no authentication and plain HTTP', () => {
    const s = resolveClusterSecurity({ host: '127.0.0.1' });
    expect(s.authentication.mode).toBe('none');
    expect(s.https).toBeUndefined();
    expect(s.adminToken).toBeUndefined();
  });

  it('any other address defaults to tokens and TLS, with an administrator token in system:masters', () => {
    const s = resolveClusterSecurity({ host: '0.0.0.0' });
    expect(s.authentication.mode).toBe('token');
    expect(s.https?.cert).toContain('BEGIN CERTIFICATE');
    expect(s.authentication.tokens.get(s.adminToken!)).toMatchObject({ name: 'kubernetes-admin', groups: ['system:masters'] });
  });

  it('refuses --auth none off loopback', () => {
    expect(() => resolveClusterSecurity({ host: '10.0.0.5', auth: 'none' })).toThrow(SecurityConfigError);
    expect(() => resolveClusterSecurity({ host: '10.0.0.5', auth: 'none' })).toThrow(/only allowed on a loopback address/);
  });

  it('reads a token file and names it in errors', () => {
    const dir = mkdtempSync(join(tmpdir(), 'kubesim-tokens-'));
    writeFileSync(join(dir, 'ok.csv'), 't1,alice,1,"a,b"\n');
    writeFileSync(join(dir, 'bad.csv'), 't1,alice\n');
    const s = resolveClusterSecurity({ host: '127.0.0.1', auth: 'token', tls: false, tokenAuthFile: join(dir, 'ok.csv') });
    expect(s.authentication.tokens.get('t1')).toEqual({ name: 'alice', uid: '1', groups: ['a', 'b'] });
    expect(() => resolveClusterSecurity({ host: '127.0.0.1', auth: 'token', tls: false, tokenAuthFile: join(dir, 'bad.csv') })).toThrow(/bad\.csv' must have at least 3 columns/);
    expect(() => resolveClusterSecurity({ host: '127.0.0.1', auth: 'token', tls: false, tokenAuthFile: join(dir, 'missing.csv') })).toThrow(/cannot read the token file/);
  });
});

describe('serve flags for authentication and TLS', () => {
  const flags = (...argv: string[]) => {
    const c = parseCliArgs(argv);
    if (c.command !== 'serve') throw new Error('not serve');
    return c.flags;
  };
  it('are absent unless given, so the defaults follow --host', () => {
    const f = flags();
    expect([f.auth, f.tls, f.tokenAuthFile, f.anonymousAuth]).toEqual([undefined, undefined, undefined, undefined]);
  });
  it('parse', () => {
    expect(flags('--auth', 'token', '--token-auth-file', 't.csv', '--anonymous-auth=false', '--tls')).toMatchObject({ auth: 'token', tokenAuthFile: 't.csv', anonymousAuth: false, tls: true });
    expect(flags('--no-tls').tls).toBe(false);
    expect(flags('--tls-cert-file', 'c.pem', '--tls-private-key-file', 'k.pem', '--client-ca-file', 'ca.pem').tls).toEqual({ certFile: 'c.pem', keyFile: 'k.pem', clientCAFile: 'ca.pem' });
  });
  const bad: [string[], RegExp][] = [
    [['--auth', 'basic'], /--auth takes none or token/],
    [['--anonymous-auth', 'yes'], /--anonymous-auth takes true or false/],
    [['--auth', 'none', '--token-auth-file', 't.csv'], /--token-auth-file needs --auth token/],
    [['--tls', '--no-tls'], /contradict/],
    [['--tls-cert-file', 'c.pem'], /go together/],
    [['--client-ca-file', 'ca.pem'], /needs --tls-cert-file/],
  ];
  for (const [argv, message] of bad) {
    it(`refuses ${argv.join(' ')}`, () => {
      expect(() => parseCliArgs(argv)).toThrow(UsageError);
      expect(() => parseCliArgs(argv)).toThrow(message);
    });
  }
});
