// X.509 for `--tls`: a CA, a serving certificate for the addresses the server is reached at,
// and client certificates whose subject is the user (CN = user name, O = groups, as kube's
// x509 authenticator reads them: k8s.io/apiserver pkg/authentication/request/x509
// CommonNameUserConversion). Generated with node-forge (RSA keys, SHA-256 signatures).
import { isIP } from 'node:net';
import forge from 'node-forge';
import type { UserInfo } from './user.js';

export interface KeyPair {
  /** PEM certificate. */
  cert: string;
  /** PEM private key. */
  key: string;
}

export interface CertificateAuthority extends KeyPair {
  /** Signs a serving certificate for these DNS names and IP addresses. */
  issueServing(hosts: string[]): KeyPair;
  /** Signs a client certificate for a user: CN = name, one O per group. */
  issueClient(user: string, groups?: string[]): KeyPair;
}

const DAY_MS = 24 * 60 * 60 * 1000;

function newSerial(): string {
  // A positive serial (leading byte below 0x80), random as RFC 5280 asks.
  return '0' + forge.util.bytesToHex(forge.random.getBytesSync(15));
}

function validity(cert: forge.pki.Certificate, days: number): void {
  const now = Date.now();
  // Back-dated an hour so a client whose clock is a little behind still accepts it.
  cert.validity.notBefore = new Date(now - 60 * 60 * 1000);
  cert.validity.notAfter = new Date(now + days * DAY_MS);
}

/** A new self-signed CA, valid ten years, that signs the serving and client certificates. */
export function generateCertificateAuthority(commonName = 'kubesim-ca'): CertificateAuthority {
  const keys = forge.pki.rsa.generateKeyPair({ bits: 2048 });
  const cert = forge.pki.createCertificate();
  cert.publicKey = keys.publicKey;
  cert.serialNumber = newSerial();
  validity(cert, 3650);
  const subject = [{ name: 'commonName', value: commonName }];
  cert.setSubject(subject);
  cert.setIssuer(subject);
  cert.setExtensions([
    { name: 'basicConstraints', cA: true, critical: true },
    { name: 'keyUsage', keyCertSign: true, digitalSignature: true, keyEncipherment: true, critical: true },
    { name: 'subjectKeyIdentifier' },
  ]);
  cert.sign(keys.privateKey, forge.md.sha256.create());
  return caFrom(cert, keys.privateKey);
}

/** A CA from PEM files (to sign client certificates with a CA of one's own). */
export function loadCertificateAuthority(pair: KeyPair): CertificateAuthority {
  return caFrom(forge.pki.certificateFromPem(pair.cert), forge.pki.privateKeyFromPem(pair.key) as forge.pki.rsa.PrivateKey);
}

function caFrom(caCert: forge.pki.Certificate, caKey: forge.pki.rsa.PrivateKey): CertificateAuthority {
  const issue = (subject: forge.pki.CertificateField[], extensions: object[]): KeyPair => {
    const keys = forge.pki.rsa.generateKeyPair({ bits: 2048 });
    const cert = forge.pki.createCertificate();
    cert.publicKey = keys.publicKey;
    cert.serialNumber = newSerial();
    validity(cert, 365);
    cert.setSubject(subject);
    cert.setIssuer(caCert.subject.attributes);
    cert.setExtensions([{ name: 'basicConstraints', cA: false }, ...extensions]);
    cert.sign(caKey, forge.md.sha256.create());
    return { cert: forge.pki.certificateToPem(cert), key: forge.pki.privateKeyToPem(keys.privateKey) };
  };
  return {
    cert: forge.pki.certificateToPem(caCert),
    key: forge.pki.privateKeyToPem(caKey),
    issueServing: (hosts) =>
      issue(
        [{ name: 'commonName', value: 'kubesim' }],
        [
          { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, critical: true },
          { name: 'extKeyUsage', serverAuth: true },
          { name: 'subjectAltName', altNames: subjectAltNames(hosts) },
        ],
      ),
    issueClient: (user, groups = []) =>
      issue(
        [...groups.map((g) => ({ name: 'organizationName', value: g })), { name: 'commonName', value: user }],
        [
          { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, critical: true },
          { name: 'extKeyUsage', clientAuth: true },
        ],
      ),
  };
}

/** SAN entries: IP addresses as type 7, names as type 2 (DNS); duplicates dropped. */
export function subjectAltNames(hosts: string[]): { type: number; value?: string; ip?: string }[] {
  const seen = new Set<string>();
  const out: { type: number; value?: string; ip?: string }[] = [];
  for (const raw of hosts) {
    const host = raw.replace(/^\[|\]$/g, '');
    if (!host || seen.has(host)) continue;
    seen.add(host);
    out.push(isIP(host) ? { type: 7, ip: host } : { type: 2, value: host });
  }
  return out;
}

/** The hosts a serving certificate covers: loopback names and the bound host (unless a wildcard address). */
export function servingHosts(boundHost: string): string[] {
  const hosts = ['localhost', '127.0.0.1', '::1'];
  const h = boundHost.replace(/^\[|\]$/g, '');
  if (h !== '0.0.0.0' && h !== '::') hosts.push(h);
  return hosts;
}

/**
 * The user a verified client certificate names, as kube's CommonNameUserConversion: the
 * subject's CN is the name (a certificate without one does not authenticate), each O a group.
 * Takes the subject as node's TLS socket reports it (a value, or an array when repeated).
 */
export function userFromCertificateSubject(subject: Record<string, string | string[] | undefined> | undefined): UserInfo | undefined {
  if (!subject) return undefined;
  const cn = Array.isArray(subject.CN) ? subject.CN[0] : subject.CN;
  if (!cn) return undefined;
  const o = subject.O;
  const groups = o === undefined ? [] : Array.isArray(o) ? [...o] : [o];
  return { name: cn, groups };
}
