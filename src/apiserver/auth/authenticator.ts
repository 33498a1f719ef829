// The request authenticator, in kube-apiserver's union order (pkg/kubeapiserver/authenticator
// config.go): x509 client certificate, then bearer token (the static token file, then
// ServiceAccount JWTs), the first that accepts wins; authenticated users get the
// system:authenticated group (AuthenticatedGroupAdder). Anonymous comes last and only when no
// authenticator failed (union.NewFailOnError): a bad token is a 401 even with anonymous on.
import { ALL_AUTHENTICATED, ALL_UNAUTHENTICATED, ANONYMOUS, ADMIN_USER, type UserInfo } from './user.js';
import { userFromCertificateSubject } from './certificates.js';
import type { ServiceAccountTokens } from './service-account-tokens.js';

export type AuthenticationMode = 'none' | 'token';

export interface AuthenticatorConfig {
  /**
   * 'none': every request is the administrator, unless it carries valid credentials, which are
   * honoured (so a ServiceAccount token acts as that ServiceAccount); missing or bad credentials
   * fall back to the administrator. 'token': credentials are checked, as kube-apiserver does.
   */
  mode: AuthenticationMode;
  /** Static bearer tokens (--token-auth-file). */
  tokens?: Map<string, UserInfo>;
  serviceAccountTokens?: ServiceAccountTokens;
  /** --anonymous-auth (kube's default: true). */
  anonymous?: boolean;
  /** In-process requests' credential (kube's loopback client token), the administrator. */
  loopbackToken?: string;
}

/** What the authenticators read from a request. */
export interface Credentials {
  /** The Authorization header. */
  authorization?: string | undefined;
  /** A client certificate the TLS handshake saw: its subject, and whether it chains to the client CA. */
  clientCertificate?: { authorized: boolean; subject: Record<string, string | string[] | undefined> | undefined };
}

export type AuthenticationResult = { ok: true; user: UserInfo } | { ok: false; reason: string };

export const ANONYMOUS_USER: UserInfo = Object.freeze({ name: ANONYMOUS, groups: Object.freeze([ALL_UNAUTHENTICATED]) as string[] });

export class RequestAuthenticator {
  constructor(private readonly config: AuthenticatorConfig) {}

  get mode(): AuthenticationMode {
    return this.config.mode;
  }

  async authenticate(creds: Credentials): Promise<AuthenticationResult> {
    const failures: string[] = [];
    const cert = creds.clientCertificate;
    if (cert?.subject && Object.keys(cert.subject).length > 0) {
      if (!cert.authorized) failures.push('verifying certificate failed: x509: certificate signed by unknown authority');
      else {
        const user = userFromCertificateSubject(cert.subject);
        if (user) return this.accept(user);
      }
    }
    const token = bearerToken(creds.authorization);
    if (token !== undefined) {
      const found = await this.authenticateToken(token);
      if (found.ok) return this.accept(found.user);
      failures.push(found.reason);
    }
    if (this.config.mode === 'none') return { ok: true, user: ADMIN_USER };
    if (failures.length > 0) return { ok: false, reason: failures.join(', ') };
    if (this.config.anonymous ?? true) return { ok: true, user: ANONYMOUS_USER };
    return { ok: false, reason: 'no credentials and anonymous requests are disabled' };
  }

  /** A bearer token alone (TokenReview): the static file, then ServiceAccount JWTs. */
  async authenticateToken(token: string, audiences?: string[]): Promise<AuthenticationResult & { audiences?: string[] }> {
    if (this.config.loopbackToken !== undefined && token === this.config.loopbackToken) return { ok: true, user: ADMIN_USER };
    const fromFile = this.config.tokens?.get(token);
    if (fromFile) return withAuthenticated(fromFile);
    const sa = this.config.serviceAccountTokens;
    if (sa && looksLikeJWT(token)) {
      const verified = await sa.verify(token, audiences);
      if (verified.ok) return { ...withAuthenticated(verified.user), audiences: verified.audiences };
      return { ok: false, reason: `invalid bearer token, ${verified.error}` };
    }
    return { ok: false, reason: 'invalid bearer token' };
  }

  private accept(user: UserInfo): AuthenticationResult {
    return withAuthenticated(user);
  }
}

function withAuthenticated(user: UserInfo): { ok: true; user: UserInfo } {
  if (user.groups.includes(ALL_AUTHENTICATED) || user.groups.includes(ALL_UNAUTHENTICATED)) return { ok: true, user };
  return { ok: true, user: { ...user, groups: [...user.groups, ALL_AUTHENTICATED] } };
}

/** The token of `Authorization: Bearer <token>` (scheme case-insensitive), as kube's bearertoken reads it. */
export function bearerToken(header: string | undefined): string | undefined {
  if (!header) return undefined;
  const parts = header.trim().split(' ');
  if (parts.length < 2 || parts[0]!.toLowerCase() !== 'bearer') return undefined;
  const token = parts[1]!;
  return token === '' ? undefined : token;
}

function looksLikeJWT(token: string): boolean {
  return token.split('.').length === 3;
}
