// core/v1 ServiceAccount: metadata and a list of secret references, nothing else to check
// (the token controller and ServiceAccount admission, not the registry, give it meaning).
import type { ResourceType } from '../../strategy.js';
import { defineResource } from '../define.js';
import { asArray } from '../fields.js';
import { age, ageColumn, column, nameColumn } from '../printing.js';

export function serviceAccountsResource(): ResourceType {
  return defineResource({
    group: '',
    version: 'v1',
    resource: 'serviceaccounts',
    kind: 'ServiceAccount',
    singularName: 'serviceaccount',
    shortNames: ['sa'],
    namespaced: true,
    openAPIDefinition: 'io.k8s.api.core.v1.ServiceAccount',
    strategy: {},
    printer: {
      columns: [nameColumn, column('Secrets', 'string', 'Secrets is a list of the secrets in the same namespace that pods running using this ServiceAccount are allowed to use.'), ageColumn],
      cells: (sa, now) => [sa.metadata.name, asArray(sa.secrets).length, age(sa, now)],
    },
  });
}
