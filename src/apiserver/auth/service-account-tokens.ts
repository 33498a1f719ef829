// ServiceAccount tokens as the TokenRequest API issues them (kube's pkg/serviceaccount
// claims.go and jwt.go): a signed JWT with iss, sub system:serviceaccount:NS:NAME, aud,
// exp, iat, nbf, jti and the private "kubernetes.io" claim naming the namespace, the
// ServiceAccount (name + uid) and any bound object. Verified on use: signature, issuer,
// expiry and not-before on the cluster's clock, audience, and the ServiceAccount (and bound
// object) still existing with the uid the token names.
import { generateKeyPairSync, randomUUID, type KeyObject } from 'node:crypto';
import { errors as joseErrors, jwtVerify, SignJWT, type JWTPayload } from 'jose';
import type { UserInfo } from './user.js';

/** kind's and kubeadm's default --service-account-issuer; also the default API audience. */
export const DEFAULT_ISSUER = 'https://kubernetes.default.svc.cluster.local';

/** The Credential ID extra kube 1.29+ puts on a ServiceAccount token's user ("JTI=<jti>"). */
export const CREDENTIAL_ID_EXTRA = 'authentication.kubernetes.io/credential-id';

export interface ObjectRef {
  name: string;
  uid: string;
}

export interface BoundObject extends ObjectRef {
  kind: 'Pod' | 'Secret' | 'Node';
  apiVersion: string;
}

export interface TokenClaimsInput {
  namespace: string;
  serviceAccount: ObjectRef;
  audiences: string[];
  expirationSeconds: number;
  boundObject?: BoundObject;
}

/** What the verifier asks the cluster: the uid of an object, or undefined when it is gone. */
export interface ObjectLookup {
  uid(kind: 'ServiceAccount' | BoundObject['kind'], namespace: string, name: string): string | undefined;
}

export interface ServiceAccountTokenOptions {
  now(): Date;
  lookup: ObjectLookup;
  issuer?: string;
  /** The audiences this server accepts (--api-audiences); defaults to the issuer. */
  apiAudiences?: string[];
}

export type VerifyResult = { ok: true; user: UserInfo; audiences: string[] } | { ok: false; error: string };

export class ServiceAccountTokens {
  readonly issuer: string;
  readonly apiAudiences: string[];
  private readonly privateKey: KeyObject;
  private readonly publicKey: KeyObject;

  constructor(private readonly options: ServiceAccountTokenOptions) {
    this.issuer = options.issuer ?? DEFAULT_ISSUER;
    this.apiAudiences = options.apiAudiences ?? [this.issuer];
    // ES256: kube accepts RSA and ECDSA service-account keys; an EC key is generated at once.
    const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    this.privateKey = privateKey;
    this.publicKey = publicKey;
  }

  /** Signs a token; the expiration timestamp is what TokenRequest status reports. */
  async issue(input: TokenClaimsInput): Promise<{ token: string; expiration: Date }> {
    const now = Math.floor(this.options.now().getTime() / 1000);
    const exp = now + input.expirationSeconds;
    const kube: Record<string, unknown> = { namespace: input.namespace, serviceaccount: { name: input.serviceAccount.name, uid: input.serviceAccount.uid } };
    if (input.boundObject) kube[input.boundObject.kind.toLowerCase()] = { name: input.boundObject.name, uid: input.boundObject.uid };
    const token = await new SignJWT({ 'kubernetes.io': kube })
      .setProtectedHeader({ alg: 'ES256' })
      .setIssuer(this.issuer)
      .setSubject(serviceAccountUsername(input.namespace, input.serviceAccount.name))
      .setAudience(input.audiences)
      .setIssuedAt(now)
      .setNotBefore(now)
      .setExpirationTime(exp)
      .setJti(randomUUID())
      .sign(this.privateKey);
    return { token, expiration: new Date(exp * 1000) };
  }

  /**
   * The user a token stands for, or why it does not authenticate. `audiences` are those the
   * caller accepts (a TokenReview's spec.audiences; the API audiences by default).
   */
  async verify(token: string, audiences: string[] = this.apiAudiences): Promise<VerifyResult> {
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(token, this.publicKey, { issuer: this.issuer, algorithms: ['ES256'], currentDate: this.options.now() }));
    } catch (e) {
      if (e instanceof joseErrors.JWTExpired) return { ok: false, error: 'service account token has expired' };
      if (e instanceof joseErrors.JWTClaimValidationFailed) return { ok: false, error: `service account token claims are invalid: ${e.message}` };
      return { ok: false, error: 'invalid bearer token' };
    }
    const tokenAudiences = typeof payload.aud === 'string' ? [payload.aud] : (payload.aud ?? []);
    const matched = tokenAudiences.filter((a) => audiences.includes(a));
    if (matched.length === 0) return { ok: false, error: 'token audiences is invalid for the target audiences' };
    const claims = parseKubeClaim(payload['kubernetes.io']);
    if (!claims || payload.sub !== serviceAccountUsername(claims.namespace, claims.serviceAccount.name)) {
      return { ok: false, error: 'service account token claims are invalid' };
    }
    const { namespace, serviceAccount, bound } = claims;
    const saUID = this.options.lookup.uid('ServiceAccount', namespace, serviceAccount.name);
    if (saUID === undefined) return { ok: false, error: `serviceaccounts "${serviceAccount.name}" not found` };
    if (saUID !== serviceAccount.uid) return { ok: false, error: `service account UID (${saUID}) does not match claim (${serviceAccount.uid})` };
    if (bound) {
      const uid = this.options.lookup.uid(bound.kind, bound.kind === 'Node' ? '' : namespace, bound.name);
      const resource = `${bound.kind.toLowerCase()}s`;
      if (uid === undefined) return { ok: false, error: `${resource} "${bound.name}" not found` };
      if (uid !== bound.uid) return { ok: false, error: `${bound.kind.toLowerCase()} UID (${uid}) does not match claim (${bound.uid})` };
    }
    const extra: Record<string, string[]> = {};
    if (typeof payload.jti === 'string') extra[CREDENTIAL_ID_EXTRA] = [`JTI=${payload.jti}`];
    if (bound) {
      extra[`authentication.kubernetes.io/${bound.kind.toLowerCase()}-name`] = [bound.name];
      extra[`authentication.kubernetes.io/${bound.kind.toLowerCase()}-uid`] = [bound.uid];
    }
    return { ok: true, user: serviceAccountUser(namespace, serviceAccount, extra), audiences: matched };
  }
}

export function serviceAccountUsername(namespace: string, name: string): string {
  return `system:serviceaccount:${namespace}:${name}`;
}

/** A ServiceAccount's user as kube's serviceaccount.UserInfo builds it. */
export function serviceAccountUser(namespace: string, sa: ObjectRef, extra: Record<string, string[]> = {}): UserInfo {
  const user: UserInfo = {
    name: serviceAccountUsername(namespace, sa.name),
    uid: sa.uid,
    groups: ['system:serviceaccounts', `system:serviceaccounts:${namespace}`],
  };
  if (Object.keys(extra).length > 0) user.extra = extra;
  return user;
}

interface KubeClaim {
  namespace: string;
  serviceAccount: ObjectRef;
  bound?: { kind: BoundObject['kind']; name: string; uid: string };
}

function objectRef(v: unknown): ObjectRef | undefined {
  if (typeof v !== 'object' || v === null) return undefined;
  const { name, uid } = v as Record<string, unknown>;
  return typeof name === 'string' && typeof uid === 'string' ? { name, uid } : undefined;
}

function parseKubeClaim(v: unknown): KubeClaim | undefined {
  if (typeof v !== 'object' || v === null) return undefined;
  const c = v as Record<string, unknown>;
  const serviceAccount = objectRef(c.serviceaccount);
  if (typeof c.namespace !== 'string' || !serviceAccount) return undefined;
  const out: KubeClaim = { namespace: c.namespace, serviceAccount };
  for (const kind of ['Pod', 'Secret', 'Node'] as const) {
    const ref = objectRef(c[kind.toLowerCase()]);
    if (ref) out.bound = { kind, ...ref };
  }
  return out;
}
