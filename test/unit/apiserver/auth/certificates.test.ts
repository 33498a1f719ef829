import { X509Certificate } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { generateCertificateAuthority, servingHosts, subjectAltNames, userFromCertificateSubject } from '../../../../src/apiserver/auth/certificates.js';

describe('userFromCertificateSubject (kube CommonNameUserConversion)', () => {
  const cases: { name: string; subject: Record<string, string | string[] | undefined> | undefined; user: unknown }[] = [
    { name: 'CN only', subject: { CN: 'alice' }, user: { name: 'alice', groups: [] } },
    { name: 'CN and one O', subject: { CN: 'alice', O: 'dev' }, user: { name: 'alice', groups: ['dev'] } },
    { name: 'several O', subject: { CN: 'alice', O: ['dev', 'system:masters'] }, user: { name: 'alice', groups: ['dev', 'system:masters'] } },
    { name: 'no CN does not authenticate', subject: { O: 'dev' }, user: undefined },
    { name: 'empty CN does not authenticate', subject: { CN: '' }, user: undefined },
    { name: 'no subject', subject: undefined, user: undefined },
  ];
  for (const c of cases) it(c.name, () => expect(userFromCertificateSubject(c.subject)).toEqual(c.user));
});

describe('the generated CA', () => {
  const ca = generateCertificateAuthority();

  it('signs a serving certificate for the loopback names and the bound host', () => {
    const cert = new X509Certificate(ca.issueServing(servingHosts('10.1.2.3')).cert);
    expect(cert.verify(new X509Certificate(ca.cert).publicKey)).toBe(true);
    expect(cert.checkHost('localhost')).toBe('localhost');
    expect(cert.checkIP('127.0.0.1')).toBe('127.0.0.1');
    expect(cert.checkIP('10.1.2.3')).toBe('10.1.2.3');
    expect(cert.checkIP('10.9.9.9')).toBeUndefined();
  });

  it('signs a client certificate whose CN is the user and whose Os are the groups', () => {
    const cert = new X509Certificate(ca.issueClient('alice', ['dev', 'qa']).cert);
    expect(cert.verify(new X509Certificate(ca.cert).publicKey)).toBe(true);
    expect(cert.subject.split('\n').sort()).toEqual(['CN=alice', 'O=dev', 'O=qa']);
    expect(cert.ca).toBe(false);
    expect(new X509Certificate(ca.cert).ca).toBe(true);
  });

  it('lists SANs once each, IPs as IP entries, [::1] unbracketed; a wildcard bind address is left out', () => {
    expect(subjectAltNames(['localhost', '127.0.0.1', '[::1]', 'localhost'])).toEqual([
      { type: 2, value: 'localhost' },
      { type: 7, ip: '127.0.0.1' },
      { type: 7, ip: '::1' },
    ]);
    expect(servingHosts('0.0.0.0')).toEqual(['localhost', '127.0.0.1', '::1']);
  });
});
