// The checks kube's policy-based RBAC storage runs before a Role, ClusterRole or binding is
// written (pkg/registry/rbac/*/policybased/storage.go): system:masters and holders of the
// `escalate` verb (roles) or `bind` verb (bindings) pass; anyone else may only grant what they
// already hold. Runs inside the request's authorization context; without one (authorization
// not wired, bootstrap) there is no user to check.
import * as errors from '../../errors.js';
import type { KubeObject } from '../../object.js';
import { authorizationContext, type AuthorizationContext } from '../authorization-context.js';
import { SYSTEM_MASTERS } from '../user.js';
import { escalationMessage, uncoveredRules } from './escalation.js';
import { RBAC_GROUP } from './policy-index.js';
import { rulesOf, type PolicyRule, type RoleRef } from './rules.js';

const FULL_AUTHORITY: PolicyRule[] = [
  { verbs: ['*'], apiGroups: ['*'], resources: ['*'] },
  { verbs: ['*'], nonResourceURLs: ['*'] },
];

function allowedVerb(c: AuthorizationContext, verb: string, resource: string, namespace: string, name: string): boolean {
  return c.authorizer.authorize({ user: c.user, verb, isResourceRequest: true, apiGroup: RBAC_GROUP, apiVersion: '*', resource, namespace, name }).decision === 'allow';
}

/** ConfirmNoEscalation: the missing rules' message, or undefined when the user holds them all. */
function escalation(c: AuthorizationContext, namespace: string, rules: PolicyRule[]): string | undefined {
  const owner = c.rbac.rulesFor(c.user, namespace);
  const missing = uncoveredRules(owner.rules, rules);
  return missing.length ? escalationMessage(c.user, missing, owner.errors) : undefined;
}

/**
 * Whether an update changes nothing but what the garbage collector changes (ownerReferences,
 * finalizers; kube's rbacregistry.IsOnlyMutatingGCFields), which needs no escalation check.
 */
function onlyGCFieldsChanged(obj: KubeObject, old: KubeObject): boolean {
  const strip = (o: KubeObject) => {
    const { ownerReferences: _o, finalizers: _f, managedFields: _m, resourceVersion: _r, ...metadata } = o.metadata;
    return JSON.stringify({ ...o, metadata });
  };
  return strip(obj) === strip(old);
}

/** Before a Role or ClusterRole is created or updated (`old` set). */
export function confirmRoleWrite(resource: 'roles' | 'clusterroles', obj: KubeObject, old?: KubeObject): void {
  const c = authorizationContext();
  if (!c || c.user.groups.includes(SYSTEM_MASTERS)) return;
  const namespace = obj.metadata.namespace ?? '';
  const name = obj.metadata.name ?? '';
  const gr = { group: RBAC_GROUP, resource };
  if (old && onlyGCFieldsChanged(obj, old)) return;
  if (allowedVerb(c, 'escalate', resource, namespace, old ? name : '')) return;
  if (resource === 'clusterroles' && obj.aggregationRule !== undefined && obj.aggregationRule !== null) {
    if (escalation(c, '', FULL_AUTHORITY)) throw errors.forbidden(gr, name, 'must have cluster-admin privileges to use the aggregationRule');
    return;
  }
  const msg = escalation(c, namespace, rulesOf(obj));
  if (msg) throw errors.forbidden(gr, name, msg);
}

/** Before a RoleBinding or ClusterRoleBinding is created or updated (`old` set). */
export function confirmBindingWrite(resource: 'rolebindings' | 'clusterrolebindings', obj: KubeObject, old?: KubeObject): void {
  const c = authorizationContext();
  if (!c || c.user.groups.includes(SYSTEM_MASTERS)) return;
  if (old && onlyGCFieldsChanged(obj, old)) return;
  const namespace = obj.metadata.namespace ?? '';
  const name = obj.metadata.name ?? '';
  const roleRef = (obj.roleRef ?? {}) as RoleRef;
  const gr = { group: RBAC_GROUP, resource };
  if (allowedVerb(c, 'bind', roleRef.kind === 'Role' ? 'roles' : 'clusterroles', namespace, roleRef.name)) return;
  const referenced = c.rbac.roleRulesOf(roleRef, namespace);
  if (referenced.error) throw errors.forbidden(gr, name, referenced.error);
  const msg = escalation(c, namespace, referenced.rules);
  if (msg) throw errors.forbidden(gr, name, msg);
}
