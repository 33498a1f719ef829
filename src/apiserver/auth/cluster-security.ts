// How a cluster authenticates and whether it serves TLS, from startCluster's options (and so
// from `kubesim serve`'s flags): the defaults by address (loopback: no authentication, plain
// HTTP; any other address: tokens and TLS), the static tokens with the administrator's, and
// the certificates.
import { readFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { isIP } from 'node:net';
import type { AuthenticationMode } from './authenticator.js';
import { generateCertificateAuthority, servingHosts, type CertificateAuthority, type KeyPair } from './certificates.js';
import { parseTokenFile, staticTokenUsers, type StaticToken } from './token-file.js';
import { SYSTEM_MASTERS, type UserInfo } from './user.js';

export interface SecurityOptions {
  host: string;
  /** Default: 'none' on a loopback address, 'token' elsewhere ('none' elsewhere is refused). */
  auth?: AuthenticationMode;
  tokens?: StaticToken[];
  /** A kube-apiserver --token-auth-file (CSV: token,user,uid,"group1,group2"). */
  tokenAuthFile?: string;
  /** With auth 'token': anonymous requests are system:anonymous (true, kube's default) or refused with 401. */
  anonymousAuth?: boolean;
  /** true: a CA and serving certificate generated at start; or PEM files. Default: on with auth 'token' (so off loopback too). */
  tls?: boolean | TLSFiles;
}

export interface TLSFiles {
  certFile: string;
  keyFile: string;
  /** Client certificates signed by this CA authenticate (CN = user, O = groups). */
  clientCAFile?: string;
}

export interface ClusterSecurity {
  authentication: { mode: AuthenticationMode; tokens: Map<string, UserInfo>; anonymous: boolean };
  https?: { cert: string; key: string; clientCA?: string };
  /** The administrator's bearer token, written into the kubeconfig (auth 'token' only). */
  adminToken?: string;
  /** PEM of the CA clients should trust (the generated CA, or none for given files). */
  certificateAuthority?: string;
  /** The generated CA, which also signs client certificates (tls: true only). */
  ca?: CertificateAuthority;
  warnings: string[];
}

/** The user the administrator's kubeconfig token stands for (as a kind cluster's admin certificate). */
export const ADMIN_TOKEN_USER = { name: 'kubernetes-admin', groups: [SYSTEM_MASTERS] };

export class SecurityConfigError extends Error {
  override name = 'SecurityConfigError';
}

/** Loopback: 127.0.0.0/8, ::1, localhost. 0.0.0.0 and :: listen on every interface, so they are not. */
export function isLoopbackHost(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, '').toLowerCase();
  if (h === 'localhost' || h === '::1') return true;
  return isIP(h) === 4 && h.startsWith('127.');
}

export function resolveClusterSecurity(opts: SecurityOptions): ClusterSecurity {
  const loopback = isLoopbackHost(opts.host);
  const mode = opts.auth ?? (loopback ? 'none' : 'token');
  if (mode === 'none' && !loopback) {
    throw new SecurityConfigError(`refusing to serve ${opts.host} without authentication: --auth none is only allowed on a loopback address (127.0.0.1, ::1, localhost); use --auth token`);
  }
  const warnings: string[] = [];
  const tokens = new Map<string, UserInfo>();
  if (opts.tokenAuthFile) {
    let text: string;
    try {
      text = readFileSync(opts.tokenAuthFile, 'utf8');
    } catch (e) {
      throw new SecurityConfigError(`cannot read the token file ${opts.tokenAuthFile}: ${(e as Error).message}`);
    }
    const file = parseTokenFile(text, `token file '${opts.tokenAuthFile}'`);
    for (const [t, u] of file.users) tokens.set(t, u);
    warnings.push(...file.warnings);
  }
  for (const [t, u] of staticTokenUsers(opts.tokens ?? [])) tokens.set(t, u);
  const out: ClusterSecurity = { authentication: { mode, tokens, anonymous: opts.anonymousAuth ?? true }, warnings };
  if (mode === 'token') {
    out.adminToken = randomBytes(24).toString('base64url');
    tokens.set(out.adminToken, { ...ADMIN_TOKEN_USER, uid: '', groups: [...ADMIN_TOKEN_USER.groups] });
  }
  // kubectl (client-go) sends no bearer token to a plain-http server, so token authentication
  // serves TLS unless told otherwise.
  const tls = opts.tls ?? (!loopback || mode === 'token');
  if (tls === true) {
    const ca = generateCertificateAuthority();
    const serving: KeyPair = ca.issueServing(servingHosts(opts.host));
    out.https = { cert: serving.cert, key: serving.key, clientCA: ca.cert };
    out.certificateAuthority = ca.cert;
    out.ca = ca;
  } else if (tls) {
    const read = (what: string, path: string) => {
      try {
        return readFileSync(path, 'utf8');
      } catch (e) {
        throw new SecurityConfigError(`cannot read the ${what} ${path}: ${(e as Error).message}`);
      }
    };
    out.https = { cert: read('TLS certificate', tls.certFile), key: read('TLS private key', tls.keyFile) };
    if (tls.clientCAFile) out.https.clientCA = read('client CA file', tls.clientCAFile);
  }
  return out;
}
