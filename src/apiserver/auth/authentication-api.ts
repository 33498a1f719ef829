// The authentication.k8s.io API and serviceaccounts/token: create-only resources answered
// without storing anything, as kube's REST storage for them does.
//   SelfSubjectReview (v1, v1beta1, v1alpha1): who the request is from (`kubectl auth whoami`).
//   TokenReview (v1): whether a bearer token authenticates, and as whom.
//   POST serviceaccounts/NAME/token (TokenRequest): a signed ServiceAccount token
//     (`kubectl create token`), defaults and validation as kube's ValidateTokenRequest.
// Answered asynchronously (JWT signing and verification), so the server routes them here
// before the synchronous handlers.
import * as errors from '../errors.js';
import { isPlainObject } from '../object.js';
import { parseBody } from '../endpoints/decode.js';
import { jsonResponse, type ApiRequest, type ApiResponse } from '../endpoints/request.js';
import type { ResourceRequestInfo } from '../endpoints/request-info.js';
import type { RegistryContext } from '../registry/context.js';
import { defineResource } from '../registry/builtin/define.js';
import type { ResourceType } from '../registry/strategy.js';
import type { RequestAuthenticator } from './authenticator.js';
import { ServiceAccountTokens, type BoundObject } from './service-account-tokens.js';
import { ADMIN_USER, type UserInfo } from './user.js';

export const AUTHENTICATION_GROUP = 'authentication.k8s.io';

/** kube's default TokenRequest lifetime, and the shortest it accepts. */
const DEFAULT_EXPIRATION_SECONDS = 3600;
const MIN_EXPIRATION_SECONDS = 600;
const MAX_EXPIRATION_SECONDS = 2 ** 32;

/** The resources of authentication.k8s.io, preferred version first (create is their only verb). */
export function authenticationResources(): ResourceType[] {
  const review = (version: string): ResourceType =>
    defineResource({ group: AUTHENTICATION_GROUP, version, resource: 'selfsubjectreviews', kind: 'SelfSubjectReview', singularName: 'selfsubjectreview', namespaced: false, verbs: ['create'], strategy: {} });
  return [
    defineResource({ group: AUTHENTICATION_GROUP, version: 'v1', resource: 'tokenreviews', kind: 'TokenReview', singularName: 'tokenreview', namespaced: false, verbs: ['create'], strategy: {} }),
    review('v1'),
    review('v1beta1'),
    review('v1alpha1'),
  ];
}

/** Whether a request is one of those answered here (so the in-process direct path leaves it to the server). */
export function isAuthenticationAPIRequest(info: ResourceRequestInfo): boolean {
  return info.group === AUTHENTICATION_GROUP || (info.group === '' && info.resource === 'serviceaccounts' && info.subresource === 'token');
}

const issuers = new WeakMap<RegistryContext, ServiceAccountTokens>();

/** The cluster's ServiceAccount token issuer and verifier (one signing key per cluster, made on first use). */
export function serviceAccountTokensFor(ctx: RegistryContext): ServiceAccountTokens {
  let tokens = issuers.get(ctx);
  if (!tokens) {
    const resources = { ServiceAccount: 'serviceaccounts', Pod: 'pods', Secret: 'secrets', Node: 'nodes' } as const;
    tokens = new ServiceAccountTokens({
      now: () => ctx.clock.now(),
      lookup: { uid: (kind, ns, name) => ctx.storage.get(resources[kind], ns ? `${ns}/${name}` : name)?.metadata.uid },
    });
    issuers.set(ctx, tokens);
  }
  return tokens;
}

export interface AuthenticationAPIDeps {
  authenticator?: RequestAuthenticator;
}

/** The answer to an authentication API request, or undefined when the request is not one. */
export function authenticationAPIHandler(r: ApiRequest, deps: AuthenticationAPIDeps): Promise<ApiResponse> | undefined {
  if (!isAuthenticationAPIRequest(r.info)) return undefined;
  if (r.info.resource === 'serviceaccounts') return tokenRequest(r);
  if (r.info.resource === 'selfsubjectreviews') return Promise.resolve(selfSubjectReview(r));
  if (r.info.resource === 'tokenreviews') return tokenReview(r, deps.authenticator);
  return undefined;
}

function body(r: ApiRequest, kind: string, apiVersion: string): Record<string, unknown> {
  const obj = parseBody(r.body, r.headers['content-type']);
  if (!isPlainObject(obj)) throw errors.badRequest(`the body of the request must be a ${kind}`);
  if ((obj.kind !== undefined && obj.kind !== kind) || (obj.apiVersion !== undefined && obj.apiVersion !== apiVersion)) {
    throw errors.badRequest(`the body of the request was in an unknown format - accepted media types include: application/json, application/yaml`);
  }
  return obj;
}

/** authentication/v1 UserInfo: username, uid and extra only when set. */
export function userInfoJSON(user: UserInfo): Record<string, unknown> {
  const out: Record<string, unknown> = { username: user.name };
  if (user.uid) out.uid = user.uid;
  out.groups = [...user.groups];
  if (user.extra && Object.keys(user.extra).length > 0) out.extra = user.extra;
  return out;
}

function selfSubjectReview(r: ApiRequest): ApiResponse {
  const apiVersion = `${AUTHENTICATION_GROUP}/${r.info.version}`;
  body(r, 'SelfSubjectReview', apiVersion);
  const user = r.user ?? ADMIN_USER;
  return jsonResponse(201, { kind: 'SelfSubjectReview', apiVersion, metadata: { creationTimestamp: null }, status: { userInfo: userInfoJSON(user) } });
}

async function tokenReview(r: ApiRequest, authenticator: RequestAuthenticator | undefined): Promise<ApiResponse> {
  const apiVersion = `${AUTHENTICATION_GROUP}/v1`;
  const review = body(r, 'TokenReview', apiVersion);
  const spec = isPlainObject(review.spec) ? review.spec : {};
  const token = typeof spec.token === 'string' ? spec.token : '';
  if (token === '') throw errors.badRequest('token is required for TokenReview in authentication');
  const audiences = Array.isArray(spec.audiences) ? spec.audiences.filter((a): a is string => typeof a === 'string') : [];
  const result = authenticator
    ? await authenticator.authenticateToken(token, audiences.length ? audiences : undefined)
    : ({ ok: false, reason: 'token authentication is not configured' } as const);
  const status: Record<string, unknown> = result.ok
    ? { authenticated: true, user: userInfoJSON(result.user), ...(result.audiences ? { audiences: result.audiences } : {}) }
    : { user: {}, error: result.reason };
  return jsonResponse(201, { kind: 'TokenReview', apiVersion, metadata: { creationTimestamp: null }, spec: { token, ...(audiences.length ? { audiences } : {}) }, status });
}

async function tokenRequest(r: ApiRequest): Promise<ApiResponse> {
  const apiVersion = `${AUTHENTICATION_GROUP}/v1`;
  const req = body(r, 'TokenRequest', apiVersion);
  const { namespace, name } = r.info;
  const spec = isPlainObject(req.spec) ? req.spec : {};
  const tokens = serviceAccountTokensFor(r.ctx);
  const audiences = Array.isArray(spec.audiences) && spec.audiences.length > 0 ? spec.audiences.map(String) : tokens.apiAudiences;
  const expirationSeconds = spec.expirationSeconds === undefined || spec.expirationSeconds === null ? DEFAULT_EXPIRATION_SECONDS : spec.expirationSeconds;
  const invalid = (field: string, badValue: unknown, detail: string) =>
    errors.invalid({ group: AUTHENTICATION_GROUP, kind: 'TokenRequest' }, name, [{ type: 'FieldValueInvalid', field, badValue, detail }]);
  if (typeof expirationSeconds !== 'number' || !Number.isInteger(expirationSeconds)) throw errors.badRequest('spec.expirationSeconds must be an integer');
  if (expirationSeconds < MIN_EXPIRATION_SECONDS) throw invalid('spec.expirationSeconds', expirationSeconds, 'may not specify a duration less than 10 minutes');
  if (expirationSeconds > MAX_EXPIRATION_SECONDS) throw invalid('spec.expirationSeconds', expirationSeconds, 'may not specify a duration larger than 2^32 seconds');
  const sa = r.ctx.storage.get('serviceaccounts', `${namespace}/${name}`);
  if (!sa) throw errors.notFound({ group: '', resource: 'serviceaccounts' }, name);
  const bound = boundObject(r, spec.boundObjectRef, invalid);
  const issued = await tokens.issue({ namespace, serviceAccount: { name, uid: sa.metadata.uid ?? '' }, audiences, expirationSeconds, ...(bound ? { boundObject: bound } : {}) });
  return jsonResponse(201, {
    kind: 'TokenRequest',
    apiVersion,
    metadata: { name, namespace, creationTimestamp: null },
    spec: { audiences, expirationSeconds, boundObjectRef: bound ? { kind: bound.kind, apiVersion: bound.apiVersion, name: bound.name, uid: bound.uid } : null },
    status: { token: issued.token, expirationTimestamp: issued.expiration.toISOString().replace(/\.\d{3}Z$/, 'Z') },
  });
}

const BOUND_KINDS = { Pod: ['v1', 'pods'], Secret: ['v1', 'secrets'], Node: ['v1', 'nodes'] } as const;

function boundObject(r: ApiRequest, ref: unknown, invalid: (field: string, badValue: unknown, detail: string) => errors.StatusError): BoundObject | undefined {
  if (!isPlainObject(ref)) return undefined;
  const kind = String(ref.kind ?? '');
  if (!(kind in BOUND_KINDS)) throw invalid('spec.boundObjectRef.kind', kind, 'supported values: "Pod", "Secret", "Node"');
  const [version, resource] = BOUND_KINDS[kind as keyof typeof BOUND_KINDS];
  const name = String(ref.name ?? '');
  const obj = r.ctx.storage.get(resource, kind === 'Node' ? name : `${r.info.namespace}/${name}`);
  if (!obj) throw errors.notFound({ group: '', resource }, name);
  const uid = obj.metadata.uid ?? '';
  if (typeof ref.uid === 'string' && ref.uid !== '' && ref.uid !== uid) {
    throw errors.conflict({ group: '', resource }, name, `the UID in the bound object reference (${ref.uid}) does not match the UID in record. The object might have been deleted and then recreated`);
  }
  return { kind: kind as BoundObject['kind'], apiVersion: version, name, uid };
}
