// rbac.authorization.k8s.io/v1 validation (pkg/apis/rbac/validation): every rule has verbs;
// a resource rule names groups and resources; nonResourceURLs only in ClusterRoles and never
// beside resources; a binding's roleRef is immutable and names a Role or ClusterRole of this
// group; subjects are Users, Groups or ServiceAccounts with the apiGroup each requires.
import type { KubeObject } from '../../../object.js';
import { fieldError, type FieldError } from '../../../validation/field-errors.js';
import { asArray, asObj, deepEqual, str } from '../fields.js';

export const RBAC_GROUP = 'rbac.authorization.k8s.io';

export function validatePolicyRules(obj: KubeObject, namespaced: boolean): FieldError[] {
  const errs: FieldError[] = [];
  asArray(obj.rules).forEach((raw, i) => {
    const rule = asObj(raw) ?? {};
    const path = `rules[${i}]`;
    if (asArray(rule.verbs).length === 0) errs.push(fieldError.required(`${path}.verbs`, 'verbs must contain at least one value'));
    const urls = asArray(rule.nonResourceURLs);
    if (urls.length > 0) {
      if (namespaced) errs.push(fieldError.invalid(`${path}.nonResourceURLs`, urls, 'namespaced rules cannot apply to non-resource URLs'));
      if (asArray(rule.apiGroups).length || asArray(rule.resources).length || asArray(rule.resourceNames).length) {
        errs.push(fieldError.invalid(`${path}.nonResourceURLs`, urls, 'rules cannot apply to both regular resources and non-resource URLs'));
      }
      return;
    }
    if (asArray(rule.apiGroups).length === 0) errs.push(fieldError.required(`${path}.apiGroups`, 'resource rules must supply at least one api group'));
    if (asArray(rule.resources).length === 0) errs.push(fieldError.required(`${path}.resources`, 'resource rules must supply at least one resource'));
  });
  return errs;
}

/** Fills what SetDefaults_Subject and the roleRef defaulting fill: the apiGroup of each kind. */
export function defaultBinding(obj: KubeObject): void {
  const roleRef = asObj(obj.roleRef);
  if (roleRef && !roleRef.apiGroup) roleRef.apiGroup = RBAC_GROUP;
  for (const raw of asArray(obj.subjects)) {
    const s = asObj(raw);
    if (!s || s.apiGroup) continue;
    if (s.kind === 'ServiceAccount') s.apiGroup = '';
    else if (s.kind === 'User' || s.kind === 'Group') s.apiGroup = RBAC_GROUP;
  }
}

export function validateBinding(obj: KubeObject, clusterScoped: boolean): FieldError[] {
  const errs: FieldError[] = [];
  const roleRef = asObj(obj.roleRef) ?? {};
  if (str(roleRef.apiGroup) !== RBAC_GROUP) errs.push(fieldError.notSupported('roleRef.apiGroup', str(roleRef.apiGroup), [RBAC_GROUP]));
  const kinds = clusterScoped ? ['ClusterRole'] : ['Role', 'ClusterRole'];
  if (!kinds.includes(str(roleRef.kind))) errs.push(fieldError.notSupported('roleRef.kind', str(roleRef.kind), kinds));
  if (!str(roleRef.name)) errs.push(fieldError.required('roleRef.name'));
  asArray(obj.subjects).forEach((raw, i) => {
    const s = asObj(raw) ?? {};
    const path = `subjects[${i}]`;
    const name = str(s.name);
    if (!name) errs.push(fieldError.required(`${path}.name`));
    switch (s.kind) {
      case 'ServiceAccount':
        if (str(s.apiGroup) !== '') errs.push(fieldError.notSupported(`${path}.apiGroup`, str(s.apiGroup), ['']));
        if (clusterScoped && !str(s.namespace)) errs.push(fieldError.required(`${path}.namespace`));
        break;
      case 'User':
      case 'Group':
        if (str(s.apiGroup) !== RBAC_GROUP) errs.push(fieldError.notSupported(`${path}.apiGroup`, str(s.apiGroup), [RBAC_GROUP]));
        break;
      default:
        errs.push(fieldError.notSupported(`${path}.kind`, str(s.kind), ['ServiceAccount', 'User', 'Group']));
    }
  });
  return errs;
}

export function validateRoleRefUnchanged(obj: KubeObject, old: KubeObject): FieldError[] {
  return deepEqual(obj.roleRef, old.roleRef) ? [] : [fieldError.invalid('roleRef', obj.roleRef, 'cannot change roleRef')];
}
