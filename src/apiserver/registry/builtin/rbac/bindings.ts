// rbac.authorization.k8s.io/v1 RoleBinding and ClusterRoleBinding: a roleRef (fixed once
// created) and the subjects it is granted to. Writes pass kube's escalation check: the writer
// needs the `bind` verb on the role, or to hold everything it grants.
import { confirmBindingWrite } from '../../../auth/rbac/escalation-check.js';
import type { KubeObject } from '../../../object.js';
import type { ResourceType } from '../../strategy.js';
import { defineResource } from '../define.js';
import { asObj, objects, str } from '../fields.js';
import { age, ageColumn, column, nameColumn } from '../printing.js';
import { defaultBinding, RBAC_GROUP, validateBinding, validateRoleRefUnchanged } from './validation.js';

function subjectsCell(b: KubeObject, kind: string): string {
  return objects(b.subjects)
    .filter((s) => s.kind === kind)
    .map((s) => (kind === 'ServiceAccount' ? `${str(s.namespace)}/${str(s.name)}` : str(s.name)))
    .join(', ');
}

function bindingResource(kind: 'RoleBinding' | 'ClusterRoleBinding'): ResourceType {
  const clusterScoped = kind === 'ClusterRoleBinding';
  const resource = clusterScoped ? 'clusterrolebindings' : 'rolebindings';
  return defineResource({
    group: RBAC_GROUP,
    version: 'v1',
    resource,
    kind,
    singularName: clusterScoped ? 'clusterrolebinding' : 'rolebinding',
    namespaced: !clusterScoped,
    nameValidation: 'path',
    openAPIDefinition: `io.k8s.api.rbac.v1.${kind}`,
    strategy: {
      defaults: defaultBinding,
      validate: (o) => {
        confirmBindingWrite(resource, o);
        return validateBinding(o, clusterScoped);
      },
      validateUpdate: (o, old) => {
        confirmBindingWrite(resource, o, old);
        return [...validateBinding(o, clusterScoped), ...validateRoleRefUnchanged(o, old)];
      },
    },
    printer: {
      columns: [
        nameColumn,
        column('Role', 'string', 'RoleRef is the reference to the role the binding grants.'),
        ageColumn,
        column('Users', 'string', 'Users in the binding.', 1),
        column('Groups', 'string', 'Groups in the binding.', 1),
        column('ServiceAccounts', 'string', 'ServiceAccounts in the binding.', 1),
      ],
      cells: (b, now) => {
        const ref = asObj(b.roleRef) ?? {};
        return [b.metadata.name, `${str(ref.kind)}/${str(ref.name)}`, age(b, now), subjectsCell(b, 'User'), subjectsCell(b, 'Group'), subjectsCell(b, 'ServiceAccount')];
      },
    },
  });
}

export function roleBindingsResource(): ResourceType {
  return bindingResource('RoleBinding');
}

export function clusterRoleBindingsResource(): ResourceType {
  return bindingResource('ClusterRoleBinding');
}
