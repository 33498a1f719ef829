// The authorizer's contract (k8s.io/apiserver pkg/authorization/authorizer): the attributes
// of a request, and a decision with the reason kube-apiserver would log.
import type { UserInfo } from './user.js';

export interface Attributes {
  user: UserInfo;
  /** get, list, watch, create, update, patch, delete, deletecollection; or an HTTP verb in lower case for a non-resource path; or impersonate, bind, escalate, use, approve... */
  verb: string;
  isResourceRequest: boolean;
  /** For a non-resource request: the URL path, e.g. /version or /healthz. */
  path?: string;
  apiGroup?: string;
  apiVersion?: string;
  resource?: string;
  subresource?: string;
  namespace?: string;
  name?: string;
}

export type Decision = 'allow' | 'deny' | 'noOpinion';

export interface AuthorizationResult {
  decision: Decision;
  /** Why (RBAC: the binding and role that allowed it; empty for a plain denial). */
  reason: string;
}

export interface Authorizer {
  authorize(attrs: Attributes): AuthorizationResult;
}
