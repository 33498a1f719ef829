// rbac.authorization.k8s.io/v1 Role and ClusterRole: lists of PolicyRules (a ClusterRole may
// instead be aggregated from others by label, aggregationRule). Writes pass kube's escalation
// check: only what the writer holds, unless they have the `escalate` verb.
import { confirmRoleWrite } from '../../../auth/rbac/escalation-check.js';
import type { KubeObject } from '../../../object.js';
import { fieldError, type FieldError } from '../../../validation/field-errors.js';
import type { ResourceType, TableColumn } from '../../strategy.js';
import { defineResource } from '../define.js';
import { asArray, asObj } from '../fields.js';
import { column, nameColumn } from '../printing.js';
import { RBAC_GROUP, validatePolicyRules } from './validation.js';

const createdAtColumn: TableColumn = column('Created At', 'date', 'CreationTimestamp is a timestamp representing the server time when this object was created.');

function validateAggregationRule(obj: KubeObject): FieldError[] {
  const rule = asObj(obj.aggregationRule);
  if (!rule) return [];
  return asArray(rule.clusterRoleSelectors).length === 0 ? [fieldError.required('aggregationRule.clusterRoleSelectors')] : [];
}

function roleResource(kind: 'Role' | 'ClusterRole'): ResourceType {
  const namespaced = kind === 'Role';
  const resource = namespaced ? 'roles' : 'clusterroles';
  const validate = (obj: KubeObject, old?: KubeObject): FieldError[] => {
    confirmRoleWrite(resource, obj, old);
    return [...validatePolicyRules(obj, namespaced), ...(namespaced ? [] : validateAggregationRule(obj))];
  };
  return defineResource({
    group: RBAC_GROUP,
    version: 'v1',
    resource,
    kind,
    singularName: namespaced ? 'role' : 'clusterrole',
    namespaced,
    nameValidation: 'path',
    openAPIDefinition: `io.k8s.api.rbac.v1.${kind}`,
    strategy: { validate: (o) => validate(o), validateUpdate: (o, old) => validate(o, old) },
    printer: {
      columns: [nameColumn, createdAtColumn],
      cells: (r) => [r.metadata.name, r.metadata.creationTimestamp ?? ''],
    },
  });
}

export function rolesResource(): ResourceType {
  return roleResource('Role');
}

export function clusterRolesResource(): ResourceType {
  return roleResource('ClusterRole');
}
