// POST of an access review (kube's pkg/registry/authorization/*/rest.go): the authorizer is
// asked about the attributes in spec, for the user in spec (SubjectAccessReview,
// LocalSubjectAccessReview) or the requester (SelfSubjectAccessReview); a
// SelfSubjectRulesReview lists the requester's RBAC rules in a namespace. Nothing is stored.
import * as errors from '../errors.js';
import { parseBody } from '../endpoints/decode.js';
import type { ApiRequest, ApiResponse } from '../endpoints/request.js';
import { isPlainObject } from '../object.js';
import type { FieldError } from '../validation/field-errors.js';
import { fieldError } from '../validation/field-errors.js';
import { authorizationContext } from './authorization-context.js';
import type { Attributes } from './authorizer.js';
import { ADMIN_USER, type UserInfo } from './user.js';

type Obj = Record<string, unknown>;
const GROUP = 'authorization.k8s.io';

const strOf = (v: unknown) => (typeof v === 'string' ? v : '');
const strings = (v: unknown) => (Array.isArray(v) ? v.filter((s): s is string => typeof s === 'string') : []);

function attributesOf(user: UserInfo, spec: Obj): Attributes {
  const ra = isPlainObject(spec.resourceAttributes) ? spec.resourceAttributes : undefined;
  if (ra) {
    return {
      user,
      verb: strOf(ra.verb),
      isResourceRequest: true,
      apiGroup: strOf(ra.group),
      apiVersion: strOf(ra.version),
      resource: strOf(ra.resource),
      subresource: strOf(ra.subresource),
      namespace: strOf(ra.namespace),
      name: strOf(ra.name),
    };
  }
  const nra = isPlainObject(spec.nonResourceAttributes) ? spec.nonResourceAttributes : {};
  return { user, verb: strOf(nra.verb), isResourceRequest: false, path: strOf(nra.path) };
}

function validateAttributes(spec: Obj): FieldError[] {
  const hasResource = isPlainObject(spec.resourceAttributes);
  const hasNonResource = isPlainObject(spec.nonResourceAttributes);
  if (hasResource && hasNonResource) return [fieldError.invalid('spec.nonResourceAttributes', spec.nonResourceAttributes, 'cannot be specified in combination with resourceAttributes')];
  if (!hasResource && !hasNonResource) return [fieldError.invalid('spec.resourceAttributes', null, 'exactly one of nonResourceAttributes or resourceAttributes must be specified')];
  return [];
}

export function accessReviewHandler(r: ApiRequest): ApiResponse {
  const c = authorizationContext();
  if (!c) throw errors.internalError(new Error('access reviews need the authorization filter'));
  const kind = r.rt.kind;
  const body = parseBody(r.body, r.headers['content-type']);
  if (!isPlainObject(body)) throw errors.badRequest(`not a ${kind}`);
  const spec: Obj = isPlainObject(body.spec) ? body.spec : {};
  const invalid = (errs: FieldError[]) => errors.invalid({ group: GROUP, kind }, '', errs);
  const requester = r.user ?? c.user ?? ADMIN_USER;
  const out = { ...body, apiVersion: `${GROUP}/v1`, kind, metadata: isPlainObject(body.metadata) ? body.metadata : {} };

  if (kind === 'SelfSubjectRulesReview') {
    const namespace = strOf(spec.namespace);
    const { rules, errors: resolutionErrors } = c.rbac.rulesFor(requester, namespace);
    const resourceRules = rules
      .filter((rule) => !rule.nonResourceURLs?.length)
      .map((rule) => ({ verbs: rule.verbs, ...(rule.apiGroups ? { apiGroups: rule.apiGroups } : {}), ...(rule.resources ? { resources: rule.resources } : {}), ...(rule.resourceNames ? { resourceNames: rule.resourceNames } : {}) }));
    const nonResourceRules = rules.filter((rule) => rule.nonResourceURLs?.length).map((rule) => ({ verbs: rule.verbs, nonResourceURLs: rule.nonResourceURLs }));
    const status: Obj = { resourceRules, nonResourceRules, incomplete: resolutionErrors.length > 0 };
    if (resolutionErrors.length) status.evaluationError = resolutionErrors.join(', ');
    return { code: 201, body: { ...out, status } };
  }

  let user: UserInfo;
  if (kind === 'SelfSubjectAccessReview') {
    const errs = validateAttributes(spec);
    if (errs.length) throw invalid(errs);
    user = requester;
  } else {
    const errs = validateAttributes(spec);
    const groups = strings(spec.groups);
    if (!strOf(spec.user) && groups.length === 0) errs.push(fieldError.invalid('spec.user', strOf(spec.user), 'at least one of user or group must be specified'));
    if (errs.length) throw invalid(errs);
    user = { name: strOf(spec.user), groups };
    if (strOf(spec.uid)) user.uid = strOf(spec.uid);
    if (isPlainObject(spec.extra)) user.extra = Object.fromEntries(Object.entries(spec.extra).map(([k, v]) => [k, strings(v)]));
    if (kind === 'LocalSubjectAccessReview') {
      const ra = isPlainObject(spec.resourceAttributes) ? spec.resourceAttributes : undefined;
      if (!ra || strOf(ra.namespace) !== r.info.namespace) {
        throw errors.badRequest(`spec.resourceAttributes.namespace must match namespace: ${r.info.namespace}`);
      }
    }
  }
  const decision = c.authorizer.authorize(attributesOf(user, spec));
  const status: Obj = { allowed: decision.decision === 'allow' };
  if (decision.decision === 'deny') status.denied = true;
  if (decision.reason) status.reason = decision.reason;
  return { code: 201, body: { ...out, status } };
}
